import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// Values of the wrong type or size cost what they should, and no more (issue 14).
@Suite struct JolokiaHostileValueTests {
    func parse(_ text: String) -> JolokiaObservation {
        JolokiaResponseParser.observation(fromBulkRead: Data(text.utf8), atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
    }

    /// The master's answer with one attribute's value replaced.
    func master(_ attribute: String, _ valueJSON: String) -> String {
        let m = JolokiaFixtures.mbean("broker1")
        return JolokiaFixtures.master().replacingOccurrences(
            of: JolokiaFixtures.ok(m, attribute, Self.originals[attribute] ?? ""), with: JolokiaFixtures.ok(m, attribute, valueJSON))
    }

    static let originals = [
        "Slave": "false", "BrokerName": "\"broker1\"", "BrokerId": "\"ID:host-41827-1718000000000-0:1\"", "BrokerVersion": "\"5.17.2\"",
        "UptimeMillis": "123456", "DataDirectory": "\"/var/lib/activemq/data\"", "CurrentConnectionsCount": "3",
        "TotalMessageCount": "42", "StorePercentUsage": "7", "MemoryPercentUsage": "0",
    ]

    /// `Slave` of the wrong type is an endpoint error naming the attribute, not ok + unknown.
    /// (`"true"` and `"false"` as strings are accepted on purpose: some JMX bridges send them.)
    @Test(arguments: [("\"yes\"", "string"), ("\"False\"", "string"), ("1", "number"), ("0", "number"), ("null", "null"),
                      ("[false]", "array"), ("{\"v\":false}", "object")])
    func slaveOfTheWrongTypeIsAnEndpointError(_ value: String, _ type: String) {
        let observation = parse(master("Slave", value))
        #expect(observation.error == .notJSON("attribute Slave is of type \(type), expected true or false"))
        #expect(observation.slave == nil)
        #expect(observation.error?.summary == "not Jolokia JSON: attribute Slave is of type \(type), expected true or false")
    }

    /// One 400-digit number costs only its own attribute: Slave and everything else still read.
    @Test(arguments: ["UptimeMillis", "CurrentConnectionsCount", "TotalMessageCount", "StorePercentUsage", "MemoryPercentUsage",
                      "BrokerVersion", "BrokerName", "DataDirectory"])
    func aHugeNumberCostsOnlyItsAttribute(_ attribute: String) {
        for digits in [String(repeating: "9", count: 400), "-" + String(repeating: "9", count: 400), "1e400", "-1e999",
                       "1" + String(repeating: "0", count: 400) + ".5"] {
            let observation = parse(master(attribute, digits))
            #expect(observation.error == nil, "\(attribute)=\(digits.prefix(8))...: \(String(describing: observation.error))")
            #expect(observation.slave == false, "\(attribute)")
            #expect(observation.attributeErrors.keys.sorted() == [attribute], "\(attribute): \(observation.attributeErrors)")
            if attribute != "UptimeMillis" { #expect(observation.uptimeMillis == 123_456) }
            if attribute != "BrokerVersion" { #expect(observation.version == "5.17.2") }
        }
    }

    /// The huge value stays a JSON number of unusable size, never a trap in a conversion.
    @Test func hugeNumbersAreInfiniteNotFailures() throws {
        #expect(try JSONReader.parse(Data(String(repeating: "7", count: 400).utf8)) == .number(.infinity))
        #expect(try JSONReader.parse(Data(("-" + String(repeating: "7", count: 400)).utf8)) == .number(-.infinity))
        #expect(JSONValue.number(.infinity).int64Value == nil)
        #expect(try JSONReader.parse(Data("1e-400".utf8)) == .number(0))
        #expect(try JSONReader.parse(Data("9223372036854775808".utf8)).int64Value == nil)
    }
}
