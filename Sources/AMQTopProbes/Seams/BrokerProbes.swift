/// The three probes of one broker, as a `ProbeRouting` chose them.
public struct BrokerProbes: Sendable {
    /// The status endpoint (Jolokia), also the route of a Jolokia stop.
    public var endpoint: any EndpointPolling
    /// The transport (OpenWire) port.
    public var port: any PortChecking
    /// The process named by the pid file.
    public var process: any ProcessChecking

    public init(endpoint: any EndpointPolling, port: any PortChecking, process: any ProcessChecking) {
        self.endpoint = endpoint
        self.port = port
        self.process = process
    }
}
