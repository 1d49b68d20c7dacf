import Foundation

/// Bodies shaped exactly like Jolokia 1.7's answers from ActiveMQ Classic 5.17 (see FACTS.md).
enum JolokiaFixtures {
    static let timestamp = 1_718_000_000

    /// One successful attribute answer.
    static func ok(_ mbean: String, _ attribute: String, _ valueJSON: String) -> String {
        #"{"request":{"mbean":"\#(mbean)","attribute":"\#(attribute)","type":"read"},"value":\#(valueJSON),"timestamp":\#(timestamp),"status":200}"#
    }

    /// One failed attribute answer, as a slave gives for `BrokerName` and `BrokerId`.
    static func failed(_ mbean: String, _ attribute: String, type: String, message: String, status: Int = 500) -> String {
        #"{"request":{"mbean":"\#(mbean)","attribute":"\#(attribute)","type":"read"},"stacktrace":"\#(type): \#(message)\n\tat org.apache.activemq.broker.BrokerService.getBrokerName(BrokerService.java:1)\n","error_type":"\#(type)","error":"\#(type) : \#(message)","status":\#(status)}"#
    }

    static func mbean(_ name: String) -> String { "org.apache.activemq:type=Broker,brokerName=\(name)" }

    /// A master's answer to the bulk read.
    static func master(_ name: String = "broker1") -> String {
        let m = mbean(name)
        return "[" + [
            ok(m, "Slave", "false"),
            ok(m, "BrokerName", "\"\(name)\""),
            ok(m, "BrokerId", "\"ID:host-41827-1718000000000-0:1\""),
            ok(m, "BrokerVersion", "\"5.17.2\""),
            ok(m, "UptimeMillis", "123456"),
            ok(m, "TransportConnectors", #"{"openwire":"tcp://host:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600"}"#),
            ok(m, "DataDirectory", "\"/var/lib/activemq/data\""),
            ok(m, "CurrentConnectionsCount", "3"),
            ok(m, "TotalMessageCount", "42"),
            ok(m, "StorePercentUsage", "7"),
            ok(m, "MemoryPercentUsage", "0"),
        ].joined(separator: ",") + "]"
    }

    /// A slave's answer: `Slave` true, `BrokerName` and `BrokerId` "not yet started".
    static func slave(_ name: String = "broker2") -> String {
        let m = mbean(name)
        let notStarted = { (attribute: String) in
            failed(m, attribute, type: "java.lang.IllegalStateException", message: "Broker is not yet started.")
        }
        return "[" + [
            ok(m, "Slave", "true"),
            notStarted("BrokerName"),
            notStarted("BrokerId"),
            ok(m, "BrokerVersion", "\"5.17.2\""),
            ok(m, "UptimeMillis", "2210"),
            ok(m, "TransportConnectors", "{}"),
            ok(m, "DataDirectory", "\"/var/lib/activemq/data\""),
            ok(m, "CurrentConnectionsCount", "0"),
            ok(m, "TotalMessageCount", "0"),
            ok(m, "StorePercentUsage", "0"),
            ok(m, "MemoryPercentUsage", "0"),
        ].joined(separator: ",") + "]"
    }

    /// Every attribute failing with InstanceNotFoundException: the MBean does not exist.
    static func noSuchMBean(_ name: String) -> String {
        let m = mbean(name)
        let attributes = ["Slave", "BrokerName", "BrokerId", "BrokerVersion", "UptimeMillis", "TransportConnectors",
                          "DataDirectory", "CurrentConnectionsCount", "TotalMessageCount", "StorePercentUsage", "MemoryPercentUsage"]
        return "[" + attributes.map {
            failed(m, $0, type: "javax.management.InstanceNotFoundException", message: m, status: 404)
        }.joined(separator: ",") + "]"
    }

    /// The answer to the pattern read `brokerName=*` with `Slave`.
    static func discovery(_ names: [String]) -> String {
        let value = names.map { #""org.apache.activemq:brokerName=\#($0),type=Broker":{"Slave":false}"# }.joined(separator: ",")
        return #"[{"request":{"mbean":"org.apache.activemq:brokerName=*,type=Broker","attribute":"Slave","type":"read"},"value":{\#(value)},"timestamp":\#(timestamp),"status":200}]"#
    }

    /// A Jolokia error for the whole request (here: a malformed request).
    static let wholeRequestError =
        #"{"stacktrace":"java.lang.IllegalArgumentException: Invalid request\n","error_type":"java.lang.IllegalArgumentException","error":"java.lang.IllegalArgumentException : Invalid object name. Key properties cannot be empty","status":400}"#

    /// `exec stop` on a master.
    static let stopAccepted =
        #"{"request":{"mbean":"org.apache.activemq:brokerName=broker1,type=Broker","type":"exec","operation":"stop"},"value":null,"timestamp":1718000000,"status":200}"#
}
