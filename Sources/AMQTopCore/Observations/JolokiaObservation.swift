/// What one poll of a broker's Jolokia endpoint saw.
///
/// Attributes are read one request each in a bulk POST, so a slave's
/// "Broker is not yet started." on `BrokerName` leaves `slave` readable; such
/// per-attribute failures land in `attributeErrors`, not in `error`.
public struct JolokiaObservation: Equatable, Sendable {
    /// When the answer (or the failure) arrived, in epoch milliseconds.
    public var atMillis: Int64
    /// How long the request took.
    public var latencyMillis: Int64
    /// Why there is no usable answer; nil when Jolokia answered.
    public var error: EndpointError?
    /// The MBean's `brokerName` key used (configured, or found by a pattern read).
    public var mbeanBrokerName: String?
    // The MBean's attributes, nil when unread; each is declared in `attributes` below.
    /// The `Slave` attribute: true on a slave, false on the master, nil when unread.
    public var slave: Bool?
    public var brokerName: String?
    public var brokerId: String?
    public var version: String?
    public var uptimeMillis: Int64?
    /// `TransportConnectors`: connector name to URI.
    public var transportConnectors: [String: String]?
    public var dataDirectory: String?
    public var connections: Int64?
    public var totalMessages: Int64?
    public var storePercentUsage: Int?
    public var memoryPercentUsage: Int?
    /// Attribute name to Jolokia's error text, for attributes that failed on their own.
    public var attributeErrors: [String: String]

    /// True when the endpoint answered with Jolokia JSON (even if some attributes failed).
    public var reachable: Bool { error == nil }

    public init(
        atMillis: Int64, latencyMillis: Int64 = 0, error: EndpointError? = nil,
        mbeanBrokerName: String? = nil, slave: Bool? = nil, brokerName: String? = nil,
        brokerId: String? = nil, version: String? = nil, uptimeMillis: Int64? = nil,
        transportConnectors: [String: String]? = nil, dataDirectory: String? = nil,
        connections: Int64? = nil, totalMessages: Int64? = nil,
        storePercentUsage: Int? = nil, memoryPercentUsage: Int? = nil,
        attributeErrors: [String: String] = [:]
    ) {
        self.atMillis = atMillis
        self.latencyMillis = latencyMillis
        self.error = error
        self.mbeanBrokerName = mbeanBrokerName
        self.slave = slave
        self.brokerName = brokerName
        self.brokerId = brokerId
        self.version = version
        self.uptimeMillis = uptimeMillis
        self.transportConnectors = transportConnectors
        self.dataDirectory = dataDirectory
        self.connections = connections
        self.totalMessages = totalMessages
        self.storePercentUsage = storePercentUsage
        self.memoryPercentUsage = memoryPercentUsage
        self.attributeErrors = attributeErrors
    }

    /// The broker MBean attributes every poll reads, in request order: the one declaration
    /// the request (`JolokiaRequests`), the parser and `RedrawPolicy` follow.
    ///
    /// A new attribute is a stored property above and a line here; to show it, a column in
    /// `BrokerColumn`'s declarations.
    public static let attributes: [BrokerAttribute] = [
        BrokerAttribute("Slave", .flag(\.slave), redraw: .atOnce),
        BrokerAttribute("BrokerName", .text(\.brokerName), redraw: .atOnce),
        BrokerAttribute("BrokerId", .text(\.brokerId), redraw: .atOnce),
        BrokerAttribute("BrokerVersion", .text(\.version), redraw: .atOnce),
        BrokerAttribute("UptimeMillis", .count(\.uptimeMillis), redraw: .nextTick),
        BrokerAttribute("TransportConnectors", .stringMap(\.transportConnectors), redraw: .atOnce),
        BrokerAttribute("DataDirectory", .text(\.dataDirectory), redraw: .atOnce),
        BrokerAttribute("CurrentConnectionsCount", .count(\.connections), redraw: .nextTick),
        BrokerAttribute("TotalMessageCount", .count(\.totalMessages), redraw: .nextTick),
        BrokerAttribute("StorePercentUsage", .percent(\.storePercentUsage), redraw: .nextTick),
        BrokerAttribute("MemoryPercentUsage", .percent(\.memoryPercentUsage), redraw: .nextTick),
    ]

    /// `attributes` by Jolokia name, for the parser.
    public static let attributesByName: [String: BrokerAttribute] = Dictionary(
        attributes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The attributes that only measure (`.nextTick`): what `RedrawPolicy` clears before comparing.
    public static let measurements = attributes.filter { if case .nextTick = $0.redraw { true } else { false } }

    /// A failed poll: no answer, only the reason.
    public static func failed(_ error: EndpointError, atMillis: Int64, latencyMillis: Int64 = 0) -> JolokiaObservation {
        JolokiaObservation(atMillis: atMillis, latencyMillis: latencyMillis, error: error)
    }
}
