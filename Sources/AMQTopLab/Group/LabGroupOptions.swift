/// How `LabGroup` lays out and runs a group of lab brokers (the flags of `amqtop lab`).
public struct LabGroupOptions: Sendable, Equatable {
    /// The most brokers one lab group runs: each is a process with two listeners, and a
    /// shared-lock group larger than this is no test of anything but the machine.
    public static let maximumBrokerCount = 32

    /// How many brokers share the lock (1 to `maximumBrokerCount`).
    public var brokerCount: Int
    /// The shared directory: the lab's own from an earlier run, a new or an empty one (see
    /// `LabDirectory`); nil makes a new one under `$XDG_RUNTIME_DIR/amqtop/labs` or the state directory.
    public var directory: String?
    /// `lockKeepAlivePeriod` in ms (0 = off).
    public var lockKeepAlivePeriodMillis: Int64
    /// `lockAcquireSleepInterval` in ms.
    public var lockAcquireSleepIntervalMillis: Int64
    /// Slaves do not listen on HTTP until they become master.
    public var silentSlaves: Bool
    /// Restart a broker this long after it stopped or was killed; nil never restarts.
    public var respawnDelayMillis: Int64?
    /// Basic-auth password for every broker's Jolokia; nil serves without authentication.
    public var password: String?
    /// Basic-auth user name.
    public var username: String
    /// The `amqtop` binary that has the hidden `lab-broker` subcommand.
    public var executablePath: String
    /// The `BrokerVersion` the brokers report.
    public var brokerVersion: String
    /// The group's name in the written configuration; brokers are named `<name>1`, `<name>2`, ...
    public var groupName: String

    /// Options with `amqtop lab`'s defaults.
    public init(
        brokerCount: Int = 3,
        directory: String? = nil,
        lockKeepAlivePeriodMillis: Int64 = 2000,
        lockAcquireSleepIntervalMillis: Int64 = 1000,
        silentSlaves: Bool = false,
        respawnDelayMillis: Int64? = nil,
        password: String? = nil,
        username: String = "admin",
        executablePath: String,
        brokerVersion: String = "lab",
        groupName: String = "lab"
    ) {
        self.brokerCount = brokerCount
        self.directory = directory
        self.lockKeepAlivePeriodMillis = lockKeepAlivePeriodMillis
        self.lockAcquireSleepIntervalMillis = lockAcquireSleepIntervalMillis
        self.silentSlaves = silentSlaves
        self.respawnDelayMillis = respawnDelayMillis
        self.password = password
        self.username = username
        self.executablePath = executablePath
        self.brokerVersion = brokerVersion
        self.groupName = groupName
    }
}
