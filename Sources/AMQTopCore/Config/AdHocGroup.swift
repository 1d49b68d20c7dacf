/// Builds a one-group configuration from command-line flags (`--lock-file`, `--broker NAME=URL`).
public struct AdHocGroup: Sendable {
    public var name: String
    public var lockFile: String?
    /// `NAME=URL` pairs, in order.
    public var brokers: [String]
    /// `NAME=tcp://host:port` pairs.
    public var openwire: [String]
    /// `NAME=PATH` pairs.
    public var pidFiles: [String]
    public var lockKeepAlivePeriod: String?
    public var lockAcquireSleepInterval: String?

    public init(
        name: String = "default", lockFile: String? = nil, brokers: [String] = [], openwire: [String] = [],
        pidFiles: [String] = [], lockKeepAlivePeriod: String? = nil, lockAcquireSleepInterval: String? = nil
    ) {
        self.name = name
        self.lockFile = lockFile
        self.brokers = brokers
        self.openwire = openwire
        self.pidFiles = pidFiles
        self.lockKeepAlivePeriod = lockKeepAlivePeriod
        self.lockAcquireSleepInterval = lockAcquireSleepInterval
    }

    /// True when any group flag was given.
    public var isGiven: Bool { lockFile != nil || !brokers.isEmpty }

    /// The group, or a `ConfigError` naming the flag that is wrong.
    public func build() throws -> GroupConfig {
        var group = GroupConfig(name: name, lockFile: lockFile)
        if let text = lockKeepAlivePeriod {
            guard let ms = DurationParser.milliseconds(text) else { throw flagError("--lock-keep-alive", DurationParser.problem(text) ?? "not a duration: \(text)") }
            group.lockKeepAlivePeriodMillis = ms
        }
        if let text = lockAcquireSleepInterval {
            guard let ms = DurationParser.milliseconds(text), ms > 0 else { throw flagError("--lock-acquire-interval", DurationParser.problem(text) ?? "must be greater than 0") }
            group.lockAcquireSleepIntervalMillis = ms
        }
        guard !brokers.isEmpty else { throw flagError("--broker", "at least one --broker NAME=URL is needed with --lock-file") }
        for pair in brokers {
            let (name, url) = try split(pair, flag: "--broker")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw flagError("--broker", "\(pair): expected NAME=http://host:8161/api/jolokia")
            }
            if let problem = HostPort.urlAuthorityProblem(url) { throw flagError("--broker", "\(pair): \(problem)") }
            guard group.broker(named: name) == nil else { throw flagError("--broker", "broker \(name) given twice") }
            group.brokers.append(BrokerConfig(name: name, jolokia: url))
        }
        for pair in openwire {
            let (name, address) = try split(pair, flag: "--openwire")
            guard let index = group.brokers.firstIndex(where: { $0.name == name }) else { throw flagError("--openwire", "no --broker named \(name)") }
            guard let hostPort = HostPort(parsing: address) else { throw flagError("--openwire", "\(pair): expected NAME=tcp://host:port (port 1-65535)") }
            if let problem = HostPort.hostProblem(hostPort.host) { throw flagError("--openwire", "\(pair): \(problem)") }
            group.brokers[index].openwire = hostPort
        }
        for pair in pidFiles {
            let (name, path) = try split(pair, flag: "--pid-file")
            guard let index = group.brokers.firstIndex(where: { $0.name == name }) else { throw flagError("--pid-file", "no --broker named \(name)") }
            group.brokers[index].pidFile = path
        }
        return group
    }

    private func split(_ pair: String, flag: String) throws -> (String, String) {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw flagError(flag, "\(pair): expected NAME=VALUE")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    private func flagError(_ flag: String, _ message: String) -> ConfigError {
        ConfigError(file: "command line", line: nil, key: flag, message: message)
    }
}
