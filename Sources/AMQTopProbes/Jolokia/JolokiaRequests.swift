import AMQTopCore
import Foundation

/// Builds the JSON bodies amqtop POSTs to Jolokia: pure, so their exact shape is testable.
public enum JolokiaRequests {
    /// The broker MBean attributes read on every poll, one request each.
    ///
    /// One request per attribute matters: on a slave `BrokerName` and `BrokerId` fail with
    /// "Broker is not yet started." while `Slave` still reads, and a multi-attribute read
    /// would fail as a whole.
    /// The names come from their one declaration, `JolokiaObservation.attributes`.
    public static let attributes = JolokiaObservation.attributes.map(\.name)

    /// The pattern that matches every broker MBean of the JVM.
    public static let brokerPattern = "org.apache.activemq:type=Broker,brokerName=*"

    /// The broker MBean's object name for a `brokerName`.
    public static func brokerMBean(_ brokerName: String) -> String {
        "org.apache.activemq:type=Broker,brokerName=\(brokerName)"
    }

    /// A bulk read: a JSON array with one `read` request per attribute, without stack traces.
    ///
    /// On a slave several attributes fail with "Broker is not yet started.", and Jolokia
    /// attaches a Java stack trace to each failure unless told not to: a slave's answer from
    /// ActiveMQ 5.17.2 is 17.7 KB with them and 2.1 KB without, on every poll.
    public static func bulkRead(mbean: String, attributes: [String] = JolokiaRequests.attributes) -> Data {
        encode(attributes.map {
            Request(type: "read", mbean: mbean, attribute: $0, operation: nil, config: ["includeStackTrace": "false"])
        })
    }

    /// A pattern read of `Slave` on every broker MBean, to find the `brokerName` key.
    public static func discovery() -> Data {
        encode(Request(type: "read", mbean: brokerPattern, attribute: "Slave", operation: nil))
    }

    /// An `exec` of the broker MBean's `stop` operation.
    public static func stop(mbean: String) -> Data {
        encode(Request(type: "exec", mbean: mbean, attribute: nil, operation: "stop"))
    }

    private struct Request: Encodable {
        var type: String
        var mbean: String
        var attribute: String?
        var operation: String?
        /// Jolokia processing parameters for this request.
        var config: [String: String]? = nil
    }

    private static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings cannot fail; an empty body would be answered by Jolokia
        // with an error that the parser classifies, so no crash path is needed here.
        return (try? encoder.encode(value)) ?? Data()
    }
}
