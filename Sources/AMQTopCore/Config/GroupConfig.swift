/// One shared-lock group: brokers that share one KahaDB directory and its lock file.
public struct GroupConfig: Equatable, Sendable {
    public var name: String
    /// The KahaDB `lock` file; nil when not visible from this host.
    public var lockFile: String?
    /// `lockKeepAlivePeriod` as set on the brokers; 0 = off, nil = not stated (unknown).
    public var lockKeepAlivePeriodMillis: Int64?
    /// `lockAcquireSleepInterval`: how often slaves retry the lock (ActiveMQ's default 10 s).
    public var lockAcquireSleepIntervalMillis: Int64
    /// How long a broker takes from getting the lock to serving (`startTime:`).
    public var startTimeMillis: Int64
    /// The NFSv4 lease time of the server (`nfsLease:`), for the keep-alive check.
    public var nfsLeaseMillis: Int64
    public var brokers: [BrokerConfig]
    public var line: Int?

    /// ActiveMQ's default `lockAcquireSleepInterval`.
    public static let defaultAcquireSleepIntervalMillis: Int64 = 10_000
    /// A broker's start after taking the lock, measured at about 4 s for three small brokers here.
    public static let defaultStartTimeMillis: Int64 = 5000
    /// The usual NFSv4 server lease (Linux nfsd's default is 90 s).
    public static let defaultNFSLeaseMillis: Int64 = 90_000

    public init(
        name: String, lockFile: String? = nil, lockKeepAlivePeriodMillis: Int64? = nil,
        lockAcquireSleepIntervalMillis: Int64 = GroupConfig.defaultAcquireSleepIntervalMillis,
        startTimeMillis: Int64 = GroupConfig.defaultStartTimeMillis,
        nfsLeaseMillis: Int64 = GroupConfig.defaultNFSLeaseMillis,
        brokers: [BrokerConfig] = [], line: Int? = nil
    ) {
        self.name = name
        self.lockFile = lockFile
        self.lockKeepAlivePeriodMillis = lockKeepAlivePeriodMillis
        self.lockAcquireSleepIntervalMillis = lockAcquireSleepIntervalMillis
        self.startTimeMillis = startTimeMillis
        self.nfsLeaseMillis = nfsLeaseMillis
        self.brokers = brokers
        self.line = line
    }

    /// The worst case from a master's death to a new master serving.
    ///
    /// A slave may have just missed the lock, so it waits a whole acquire interval; once
    /// it has the lock it sleeps one keep-alive period (so the old holder can notice) and
    /// then starts.
    public var expectedWorstCaseFailoverMillis: Int64 {
        lockAcquireSleepIntervalMillis + (lockKeepAlivePeriodMillis ?? 0) + startTimeMillis
    }

    /// The hosts of this group's brokers, in configuration order, each once.
    public var hostNames: [String] {
        var seen: Set<String> = []
        return brokers.compactMap(\.host).filter { seen.insert($0).inserted }
    }

    /// The configured broker with this name.
    public func broker(named name: String) -> BrokerConfig? { brokers.first { $0.name == name } }
}
