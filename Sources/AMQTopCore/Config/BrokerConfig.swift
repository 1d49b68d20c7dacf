/// One broker of a group, as configured.
public struct BrokerConfig: Equatable, Sendable {
    public var name: String
    /// The Jolokia base URL, e.g. `http://broker1:8161/api/jolokia`; nil when the broker has none.
    public var jolokia: String?
    /// The MBean's `brokerName`; nil means "find it with a pattern read".
    public var mbeanBrokerName: String?
    public var username: String?
    public var password: PasswordSource?
    /// A PEM file of CA certificates to trust for https, in addition to the system store.
    public var caFile: String?
    /// Skip certificate verification: only when the config says so explicitly.
    public var insecure: Bool
    /// The OpenWire transport (`tcp://host:port`), probed as a second master signal.
    public var openwire: HostPort?
    /// A pid file for brokers on this host: maps the lock holder's pid to this broker.
    public var pidFile: String?
    /// The broker's own log (`brokerLog:`, upstream pattern), tailed for the causes of takeovers.
    public var brokerLog: String?
    /// The broker's `activemq.xml` (`brokerXml:`), re-read for the settings it really runs with.
    public var brokerXml: String?
    public var stop: StopMethod
    /// The host this broker runs on (`host:`, a name from `hosts:`); nil = probed from here.
    ///
    /// With a host, the endpoint, OpenWire and pid file are as that host sees them, and the stop runs there.
    public var host: String?
    /// Where in the config file this broker was defined (for messages).
    public var line: Int?

    public init(
        name: String, jolokia: String? = nil, mbeanBrokerName: String? = nil, username: String? = nil,
        password: PasswordSource? = nil, caFile: String? = nil, insecure: Bool = false,
        openwire: HostPort? = nil, pidFile: String? = nil, stop: StopMethod = .jolokia, line: Int? = nil,
        host: String? = nil, brokerLog: String? = nil, brokerXml: String? = nil
    ) {
        self.host = host
        self.brokerLog = brokerLog
        self.brokerXml = brokerXml
        self.name = name
        self.jolokia = jolokia
        self.mbeanBrokerName = mbeanBrokerName
        self.username = username
        self.password = password
        self.caFile = caFile
        self.insecure = insecure
        self.openwire = openwire
        self.pidFile = pidFile
        self.stop = stop
        self.line = line
    }
}
