/// The whole configuration: cadences, display settings and the groups to watch.
public struct AppConfig: Equatable, Sendable {
    /// How often each broker's status endpoint is polled.
    public var pollMillis: Int64
    /// How often lock files are read (faster: a lock change is the first failover signal).
    public var lockPollMillis: Int64
    /// The deadline of one request.
    public var timeoutMillis: Int64
    /// A theme name or path (`theme:`), for the dashboard.
    public var theme: String?
    /// Where the failover history database lives (`history:`).
    public var historyPath: String?
    /// No actions at all when true (`readOnly:`).
    public var readOnly: Bool
    public var groups: [GroupConfig]
    /// The ssh client configuration file (`sshConfig:`), passed to ssh as `-F`; nil = ssh's own defaults.
    public var sshConfig: String?
    /// The hosts brokers run on (`hosts:`), reached over SSH.
    public var hosts: [HostConfig]
    /// The file this came from, for messages; nil when built from flags.
    public var sourcePath: String?

    public static let defaultPollMillis: Int64 = 1000
    public static let defaultLockPollMillis: Int64 = 250
    public static let defaultTimeoutMillis: Int64 = 2000

    public init(
        pollMillis: Int64 = AppConfig.defaultPollMillis, lockPollMillis: Int64 = AppConfig.defaultLockPollMillis,
        timeoutMillis: Int64 = AppConfig.defaultTimeoutMillis, theme: String? = nil, historyPath: String? = nil,
        readOnly: Bool = false, groups: [GroupConfig] = [], sourcePath: String? = nil,
        sshConfig: String? = nil, hosts: [HostConfig] = []
    ) {
        self.sshConfig = sshConfig
        self.hosts = hosts
        self.pollMillis = pollMillis
        self.lockPollMillis = lockPollMillis
        self.timeoutMillis = timeoutMillis
        self.theme = theme
        self.historyPath = historyPath
        self.readOnly = readOnly
        self.groups = groups
        self.sourcePath = sourcePath
    }

    /// The group with this name.
    public func group(named name: String) -> GroupConfig? { groups.first { $0.name == name } }

    /// The host with this name.
    public func host(named name: String) -> HostConfig? { hosts.first { $0.name == name } }
}
