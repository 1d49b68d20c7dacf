import NIOConcurrencyHelpers

/// The live, thread-safe state of a running lab broker that its HTTP server reads.
public final class LabBrokerState: Sendable {
    private struct Fields {
        var isSlave = true
        var currentConnections: Int64 = 0
    }

    private let fields = NIOLockedValueBox(Fields())
    /// The configuration the broker runs with.
    public let configuration: LabBrokerConfiguration
    /// Process start, ms since the epoch: the base of `UptimeMillis` (a slave has uptime too).
    public let startMillis: Int64
    /// The broker id, fixed at start.
    public let brokerId: String

    /// State for a broker that starts now, as a slave.
    public init(configuration: LabBrokerConfiguration, startMillis: Int64, hostName: String) {
        self.configuration = configuration
        self.startMillis = startMillis
        self.brokerId = "ID:\(hostName)-\(configuration.openWirePort)-\(startMillis)-0:1"
    }

    /// True until the broker has the lock and serves.
    public var isSlave: Bool {
        fields.withLockedValue { $0.isSlave }
    }

    /// Marks the broker as master.
    public func becomeMaster() {
        fields.withLockedValue { $0.isSlave = false }
    }

    /// Counts an OpenWire connection opening (+1) or closing (-1).
    public func connectionsChanged(by delta: Int64) {
        fields.withLockedValue { $0.currentConnections = max(0, $0.currentConnections + delta) }
    }

    /// The broker MBean as it reads at `nowMillis`.
    public func snapshot(nowMillis: Int64) -> BrokerMBeanSnapshot {
        let current = fields.withLockedValue { $0 }
        return BrokerMBeanSnapshot(
            brokerName: configuration.name,
            isSlave: current.isSlave,
            brokerId: brokerId,
            brokerVersion: configuration.brokerVersion,
            uptimeMillis: max(0, nowMillis - startMillis),
            transportConnectors: ["openwire": configuration.openWireURI],
            dataDirectory: configuration.directory,
            currentConnectionsCount: current.currentConnections
        )
    }
}
