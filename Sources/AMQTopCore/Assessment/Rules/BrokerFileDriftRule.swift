/// What a broker's own `activemq.xml` (`brokerXml:`) says against amqtop.yaml.
///
/// amqtop judges keep-alive alerts and the expected worst-case failover from the values in
/// amqtop.yaml; the broker runs with its file's. A difference makes those judgements wrong
/// (`BROKER_FILE_DRIFT`, warning), a store elsewhere means the broker does not take this
/// group's lock at all (critical), and `useLock="false"` means no exclusion (critical).
public struct BrokerFileDriftRule: AlertRule {
    public init() {}
    public var name: String { "broker file drift" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        var alerts: [Alert] = []
        let group = context.group
        for broker in context.observation.brokers {
            guard let reading = broker.brokerFile else { continue }
            guard let definition = reading.definition else {
                alerts.append(Alert(
                    .warning, .brokerFileUnreadable,
                    "\(broker.name)'s brokerXml cannot be used: \(reading.problem ?? "\(reading.file): no <broker> for it")",
                    action: "Fix the file or the brokerXml: path; until then the broker's own settings are not checked.",
                    broker: broker.name))
                continue
            }
            let file = reading.file
            if !definition.useLock {
                alerts.append(Alert(
                    .critical, .brokerFileNoLock,
                    "\(broker.name)'s \(file) sets useLock=\"false\" on \(definition.store.summary): it takes no lock, so a second master is a matter of time.",
                    action: "Remove useLock=\"false\" from the persistence adapter of \(broker.name) and restart it as a slave.",
                    broker: broker.name))
            }
            switch definition.store {
            case .sharedFile:
                if let expected = group.lockFile, let lockFile = definition.store.lockFile,
                   PathText.normalize(lockFile) != PathText.normalize(expected) {
                    alerts.append(Alert(
                        .critical, .brokerFileDrift,
                        "\(broker.name)'s \(file) stores in \(definition.store.summary), lock \(lockFile); amqtop.yaml watches \(expected): it can be master beside this group's master.",
                        action: "Point \(broker.name)'s store at the group's shared directory, or fix lockFile in amqtop.yaml.",
                        broker: broker.name))
                }
            case .database, .none, .unsupported:
                alerts.append(Alert(
                    .warning, .brokerFileDrift,
                    "\(broker.name)'s \(file) has \(definition.store.summary): not a shared-file lock amqtop can watch.",
                    action: "Monitor this broker's lease where it is kept; amqtop's lock checks do not apply to it.",
                    broker: broker.name))
            }
            var differences: [String] = []
            if let configured = group.lockKeepAlivePeriodMillis, configured != definition.lockKeepAlivePeriodMillis {
                differences.append("lockKeepAlivePeriod \(DurationFormat.setting(definition.lockKeepAlivePeriodMillis)) (amqtop.yaml \(DurationFormat.setting(configured)))")
            }
            if group.lockAcquireSleepIntervalMillis != definition.lockAcquireSleepIntervalMillis {
                differences.append("lockAcquireSleepInterval \(DurationFormat.setting(definition.lockAcquireSleepIntervalMillis)) (amqtop.yaml \(DurationFormat.setting(group.lockAcquireSleepIntervalMillis)))")
            }
            if !differences.isEmpty {
                alerts.append(Alert(
                    .warning, .brokerFileDrift,
                    "\(broker.name) runs with \(differences.joined(separator: ", ")) per \(file): keep-alive alerts and the worst-case failover are judged on the wrong values.",
                    action: "Set amqtop.yaml to what the brokers run with (amqtop init prints it), or fix the broker.",
                    broker: broker.name))
            }
        }
        return alerts
    }
}
