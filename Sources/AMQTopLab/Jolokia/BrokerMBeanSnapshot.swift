/// What the broker MBean of one lab broker shows at one instant: the input of
/// `JolokiaResponder`, so a test can build any broker state without a process.
///
/// Its attributes are listed here, not taken from `JolokiaObservation.attributes` (amqtop's
/// one declaration of what it reads), on purpose: the fake models the real MBean, which has
/// attributes amqtop does not read, and must not change when amqtop's list does. A new
/// attribute amqtop reads needs a property here too before the lab serves it.
public struct BrokerMBeanSnapshot: Sendable, Equatable {
    /// The broker's name, the `brokerName` key of its MBean.
    public var brokerName: String
    /// True while the broker waits for the lock (ActiveMQ's `Slave` attribute).
    public var isSlave: Bool
    /// The broker id, as ActiveMQ spells one: `ID:host-port-startMillis-0:1`.
    public var brokerId: String
    /// `BrokerVersion`: "5.17.2"-like, or "lab".
    public var brokerVersion: String
    /// Milliseconds since the broker process started.
    public var uptimeMillis: Int64
    /// Connector name to URI, e.g. `["openwire": "tcp://127.0.0.1:61616"]`.
    public var transportConnectors: [String: String]
    /// The KahaDB directory that holds the shared lock file.
    public var dataDirectory: String
    /// `CurrentConnectionsCount`.
    public var currentConnectionsCount: Int64
    /// `TotalMessageCount`.
    public var totalMessageCount: Int64
    /// `StorePercentUsage`.
    public var storePercentUsage: Int64
    /// `MemoryPercentUsage`.
    public var memoryPercentUsage: Int64

    /// Creates a snapshot; counters default to an idle broker.
    public init(
        brokerName: String,
        isSlave: Bool,
        brokerId: String,
        brokerVersion: String,
        uptimeMillis: Int64,
        transportConnectors: [String: String],
        dataDirectory: String,
        currentConnectionsCount: Int64 = 0,
        totalMessageCount: Int64 = 0,
        storePercentUsage: Int64 = 0,
        memoryPercentUsage: Int64 = 0
    ) {
        self.brokerName = brokerName
        self.isSlave = isSlave
        self.brokerId = brokerId
        self.brokerVersion = brokerVersion
        self.uptimeMillis = uptimeMillis
        self.transportConnectors = transportConnectors
        self.dataDirectory = dataDirectory
        self.currentConnectionsCount = currentConnectionsCount
        self.totalMessageCount = totalMessageCount
        self.storePercentUsage = storePercentUsage
        self.memoryPercentUsage = memoryPercentUsage
    }

    /// The MBean this snapshot is served under.
    public var mbeanName: MBeanName { .broker(named: brokerName) }

    /// The attribute names the lab serves, in the order a whole-MBean read lists them.
    public static let attributeNames = [
        "BrokerId", "BrokerName", "BrokerVersion", "CurrentConnectionsCount", "DataDirectory",
        "MemoryPercentUsage", "Slave", "StorePercentUsage", "TotalMessageCount", "TransportConnectors",
        "Uptime", "UptimeMillis",
    ]

    /// The outcome of reading one attribute: its value, or the JMX error a real broker gives.
    public func read(attribute: String) -> Result<JolokiaJSON, JolokiaError> {
        switch attribute {
        case "Slave": return .success(.bool(isSlave))
        case "BrokerName": return startedOnly(.string(brokerName))
        case "BrokerId": return startedOnly(.string(brokerId))
        case "BrokerVersion": return .success(.string(brokerVersion))
        case "UptimeMillis": return .success(.int(uptimeMillis))
        case "Uptime": return .success(.string(ActiveMQUptime.format(millis: uptimeMillis)))
        case "TransportConnectors":
            return .success(.object(transportConnectors.mapValues(JolokiaJSON.string)))
        case "DataDirectory": return .success(.string(dataDirectory))
        case "CurrentConnectionsCount": return .success(.int(currentConnectionsCount))
        case "TotalMessageCount": return .success(.int(totalMessageCount))
        case "StorePercentUsage": return .success(.int(storePercentUsage))
        case "MemoryPercentUsage": return .success(.int(memoryPercentUsage))
        default: return .failure(.attributeNotFound(attribute))
        }
    }

    /// ActiveMQ's BrokerView reaches the running broker for these; on a slave it is not there yet.
    private func startedOnly(_ value: JolokiaJSON) -> Result<JolokiaJSON, JolokiaError> {
        isSlave ? .failure(.brokerNotStarted) : .success(value)
    }
}
