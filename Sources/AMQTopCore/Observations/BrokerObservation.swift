/// Everything the probes last saw of one broker: its endpoint, its port, its process.
public struct BrokerObservation: Equatable, Sendable {
    public var name: String
    public var jolokia: JolokiaObservation?
    public var openwire: PortObservation?
    public var process: ProcessObservation?

    public init(name: String, jolokia: JolokiaObservation? = nil, openwire: PortObservation? = nil, process: ProcessObservation? = nil) {
        self.name = name
        self.jolokia = jolokia
        self.openwire = openwire
        self.process = process
    }
}
