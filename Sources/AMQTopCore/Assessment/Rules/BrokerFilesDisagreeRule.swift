/// Brokers of one group whose own `activemq.xml` files (`brokerXml:`) disagree.
///
/// "All of the brokers in the group must share the same persistenceAdapter element" (JBoss
/// A-MQ's documentation): a different keep-alive or acquire interval makes failovers uneven
/// (warning); a different store directory or `useLock` means they do not exclude each other
/// (critical). One alert per setting, naming each broker's value.
public struct BrokerFilesDisagreeRule: AlertRule {
    public init() {}
    public var name: String { "broker files disagree" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        let read = context.observation.brokers.compactMap { broker in
            broker.brokerFile?.definition.map { (name: broker.name, definition: $0) }
        }
        guard read.count >= 2 else { return [] }
        let settings: [(String, Severity, (BrokerDefinition) -> String)] = [
            ("store", .critical, { $0.store.lockFile.map(PathText.normalize) ?? $0.store.summary }),
            ("useLock", .critical, { $0.useLock ? "true" : "false" }),
            ("lockKeepAlivePeriod", .warning, { DurationFormat.setting($0.lockKeepAlivePeriodMillis) }),
            ("lockAcquireSleepInterval", .warning, { DurationFormat.setting($0.lockAcquireSleepIntervalMillis) }),
        ]
        return settings.compactMap { setting, severity, value in
            let values = read.map { ($0.name, value($0.definition)) }
            guard Set(values.map(\.1)).count > 1 else { return nil }
            let listed = values.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            return Alert(
                severity, .brokerFilesDisagree,
                "The brokers' activemq.xml disagree on \(setting): \(listed).",
                action: severity == .critical
                    ? "Give every broker of the group the same persistence adapter (directory and useLock), then restart the odd one as a slave."
                    : "Give every broker the same \(setting), so every failover takes the same time.")
        }
    }
}
