/// Everything one lab broker process needs: names, ports and the lock settings of its group.
public struct LabBrokerConfiguration: Sendable, Equatable {
    /// The broker name (`brokerName` of its MBean).
    public var name: String
    /// The shared KahaDB-like directory; the lock file is `directory/lock`.
    public var directory: String
    /// The address every listener binds to.
    public var host: String
    /// The Jolokia HTTP port.
    public var jolokiaPort: Int
    /// The OpenWire port, listened on only while master.
    public var openWirePort: Int
    /// `lockKeepAlivePeriod` in ms; 0 turns the keep-alive off.
    public var lockKeepAlivePeriodMillis: Int64
    /// `lockAcquireSleepInterval` in ms: how often a slave retries the lock.
    public var lockAcquireSleepIntervalMillis: Int64
    /// When true a slave does not listen on HTTP at all, as with ActiveMQ's stock distribution.
    public var silentSlaves: Bool
    /// The Basic-auth user name, used only when `password` is set.
    public var username: String
    /// The Basic-auth password; nil serves Jolokia without authentication.
    public var password: String?
    /// Where to write this process's pid, if anywhere.
    public var pidFile: String?
    /// The `BrokerVersion` attribute.
    public var brokerVersion: String
    /// Exit when the launching process goes away, so a crashed launcher leaves no brokers behind.
    public var exitWithParent: Bool

    /// Creates a configuration; defaults match `amqtop lab`.
    public init(
        name: String,
        directory: String,
        host: String = "127.0.0.1",
        jolokiaPort: Int,
        openWirePort: Int,
        lockKeepAlivePeriodMillis: Int64 = 2000,
        lockAcquireSleepIntervalMillis: Int64 = 1000,
        silentSlaves: Bool = false,
        username: String = "admin",
        password: String? = nil,
        pidFile: String? = nil,
        brokerVersion: String = "lab",
        exitWithParent: Bool = false
    ) {
        self.name = name
        self.directory = directory
        self.host = host
        self.jolokiaPort = jolokiaPort
        self.openWirePort = openWirePort
        self.lockKeepAlivePeriodMillis = lockKeepAlivePeriodMillis
        self.lockAcquireSleepIntervalMillis = lockAcquireSleepIntervalMillis
        self.silentSlaves = silentSlaves
        self.username = username
        self.password = password
        self.pidFile = pidFile
        self.brokerVersion = brokerVersion
        self.exitWithParent = exitWithParent
    }

    /// The lock file shared by the group.
    public var lockFilePath: String { directory + "/lock" }
    /// The OpenWire URI, as `TransportConnectors` shows it.
    public var openWireURI: String { "tcp://\(host):\(openWirePort)" }
    /// The Jolokia endpoint URL.
    public var jolokiaURL: String { "http://\(host):\(jolokiaPort)/api/jolokia" }
}
