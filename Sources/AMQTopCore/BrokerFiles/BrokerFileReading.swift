/// One broker's `activemq.xml` (`brokerXml:`) as last read: what the broker really runs with.
public struct BrokerFileReading: Equatable, Sendable {
    /// The file as amqtop.yaml names it (`HOST:PATH` for a broker with a `host:`).
    public var file: String
    /// When it was read (epoch ms).
    public var atMillis: Int64
    /// The `<broker>` the file defines for this broker; nil when it could not be read.
    public var definition: BrokerDefinition?
    /// Why it could not be read (`file:line: element: message`), when it could not.
    public var problem: String?

    public init(file: String, atMillis: Int64, definition: BrokerDefinition? = nil, problem: String? = nil) {
        self.file = file
        self.atMillis = atMillis
        self.definition = definition
        self.problem = problem
    }

    /// The definition among a file's brokers that is `broker`'s: its `brokerName`, else the only one.
    public static func pick(_ definitions: [BrokerDefinition], for broker: BrokerConfig) -> BrokerDefinition? {
        let name = broker.mbeanBrokerName ?? broker.name
        return definitions.first { $0.brokerName == name } ?? (definitions.count == 1 ? definitions.first : nil)
    }
}
