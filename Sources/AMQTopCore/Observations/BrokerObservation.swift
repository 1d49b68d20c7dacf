/// Everything the probes last saw of one broker: its endpoint, its port, its process.
public struct BrokerObservation: Equatable, Sendable {
    public var name: String
    public var jolokia: JolokiaObservation?
    public var openwire: PortObservation?
    public var process: ProcessObservation?
    /// Its `activemq.xml` (`brokerXml:`), re-read on a slow cadence; nil when none is configured.
    public var brokerFile: BrokerFileReading?

    public init(
        name: String, jolokia: JolokiaObservation? = nil, openwire: PortObservation? = nil, process: ProcessObservation? = nil,
        brokerFile: BrokerFileReading? = nil
    ) {
        self.brokerFile = brokerFile
        self.name = name
        self.jolokia = jolokia
        self.openwire = openwire
        self.process = process
    }
}
