import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The pure parser: real answer shapes, odd shapes, and random bytes that must never trap.
@Suite struct JolokiaResponseParserTests {
    func parse(_ text: String) -> JolokiaObservation {
        JolokiaResponseParser.observation(fromBulkRead: Data(text.utf8), atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
    }

    @Test func masterAndSlave() {
        let master = parse(JolokiaFixtures.master())
        #expect(master.slave == false && master.reachable && master.brokerId == "ID:host-41827-1718000000000-0:1")
        #expect(master.dataDirectory == "/var/lib/activemq/data")
        #expect(master.memoryPercentUsage == 0)
        let slave = parse(JolokiaFixtures.slave())
        #expect(slave.slave == true && slave.reachable)
        #expect(slave.attributeErrors == [
            "BrokerName": "java.lang.IllegalStateException: Broker is not yet started.",
            "BrokerId": "java.lang.IllegalStateException: Broker is not yet started.",
        ])
        #expect(slave.transportConnectors == [:])
    }

    /// Every declared attribute is requested, decoded by its kind and kept in its own property.
    @Test func everyDeclaredAttributeLandsInItsProperty() {
        let m = JolokiaFixtures.mbean("b")
        let attributes = JolokiaObservation.attributes
        #expect(JolokiaRequests.attributes == attributes.map(\.name))
        #expect(Set(attributes.map(\.name)).count == attributes.count)
        // A distinct value per attribute, so one landing in another's property shows.
        let answers = attributes.enumerated().map { index, attribute -> String in
            switch attribute.value {
            case .flag: JolokiaFixtures.ok(m, attribute.name, index % 2 == 0 ? "true" : "false")
            case .text: JolokiaFixtures.ok(m, attribute.name, "\"text \(index)\"")
            case .count, .percent: JolokiaFixtures.ok(m, attribute.name, "\(index)")
            case .stringMap: JolokiaFixtures.ok(m, attribute.name, #"{"c\#(index)":"tcp://h:\#(index)"}"#)
            }
        }
        let observation = parse("[" + answers.joined(separator: ",") + "]")
        #expect(observation.reachable && observation.attributeErrors.isEmpty)
        for (index, attribute) in attributes.enumerated() {
            switch attribute.value {
            case .flag(let path): #expect(observation[keyPath: path] == (index % 2 == 0), "\(attribute.name)")
            case .text(let path): #expect(observation[keyPath: path] == "text \(index)", "\(attribute.name)")
            case .count(let path): #expect(observation[keyPath: path] == Int64(index), "\(attribute.name)")
            case .percent(let path): #expect(observation[keyPath: path] == index, "\(attribute.name)")
            case .stringMap(let path): #expect(observation[keyPath: path] == ["c\(index)": "tcp://h:\(index)"], "\(attribute.name)")
            }
        }
        // And a value of the wrong JSON type is an attribute error for every kind, never kept.
        let wrong = attributes.map { attribute -> String in
            if case .text = attribute.value { JolokiaFixtures.ok(m, attribute.name, "[1]") } else { JolokiaFixtures.ok(m, attribute.name, "\"x\"") }
        }
        let mismatched = parse("[" + wrong.joined(separator: ",") + "]")
        #expect(Set(mismatched.attributeErrors.keys) == Set(attributes.map(\.name)))
        #expect(mismatched.error?.code == "notJSON")
    }

    @Test func wrongShapes() {
        #expect(parse("").error == .notJSON("empty body"))
        #expect(parse("[]").error == .notJSON("empty answer array"))
        #expect(parse(#"{"value":1,"status":200}"#).error == .notJSON("expected an array of answers"))
        #expect(parse("[1,2]").error == .notJSON("answer 1 is not an object"))
        #expect(parse("null").error?.code == "notJSON")
        #expect(parse("[{\"status\":200}]").error?.code == "jolokia")
    }

    @Test func wrongValueTypesBecomeAttributeErrors() {
        let m = JolokiaFixtures.mbean("b")
        let observation = parse("[" + JolokiaFixtures.ok(m, "Slave", "true") + "," + JolokiaFixtures.ok(m, "UptimeMillis", "\"soon\"") + "]")
        #expect(observation.slave == true)
        #expect(observation.uptimeMillis == nil)
        #expect(observation.attributeErrors["UptimeMillis"] == "unexpected value string")
    }

    @Test func answersAreMatchedByTheirRequestNotTheirPosition() {
        let m = JolokiaFixtures.mbean("b")
        let observation = parse("[" + JolokiaFixtures.ok(m, "BrokerVersion", "\"5.18.3\"") + "," + JolokiaFixtures.ok(m, "Slave", "false") + "]")
        #expect(observation.version == "5.18.3")
        #expect(observation.slave == false)
    }

    @Test func discoveryAndExec() {
        #expect(JolokiaResponseParser.brokerNames(fromDiscovery: Data(JolokiaFixtures.discovery(["b2", "a1"]).utf8)) == .success(["a1", "b2"]))
        #expect(JolokiaResponseParser.brokerNames(fromDiscovery: Data(#"{"value":{},"status":200}"#.utf8)) == .success([]))
        #expect(JolokiaResponseParser.brokerName(inObjectName: #"org.apache.activemq:brokerName="a,b",type=Broker"#) == "a,b")
        #expect(JolokiaResponseParser.execError(Data(JolokiaFixtures.stopAccepted.utf8)) == nil)
        #expect(JolokiaResponseParser.execError(Data(JolokiaFixtures.wholeRequestError.utf8))?.code == "jolokia")
    }

    @Test func jsonReaderHandlesTheWholeGrammar() throws {
        let value = try JSONReader.parse(Array(#" {"a":[1,-2,3.5,1e3,true,false,null,"x\u00e9\ud83d\ude00\n\"/"],"b":{}} "#.utf8))
        #expect(value == .object([
            "a": .array([.integer(1), .integer(-2), .number(3.5), .number(1000), .bool(true), .bool(false), .null, .string("xé😀\n\"/")]),
            "b": .object([:]),
        ]))
        #expect(try JSONReader.parse(Array("9223372036854775807".utf8)) == .integer(.max))
        #expect(try JSONReader.parse(Array("92233720368547758070".utf8)) == .number(9.223_372_036_854_775_807e19))
        // Plain strings take a fast path; an escape, raw control character or invalid UTF-8
        // anywhere in one (start, middle, end) still takes the careful one.
        #expect(try JSONReader.parse(Array(#"["plain é","ab\tc","\"q","q\"","a\\b\/c"]"#.utf8))
            == .array([.string("plain é"), .string("ab\tc"), .string("\"q"), .string("q\""), .string("a\\b/c")]))
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x22, 0x61, 0xFF, 0x62, 0x22]) }
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x22, 0x61, 0x5C, 0x6E, 0xC3, 0x22]) }
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array("\"a\u{01}b\"".utf8)) }
        for bad in ["", "[", "[1,]", "{\"a\"}", "tru", "\"abc", "\"abc\\", "01x", "-", "1e", "[1] 2", #""\u12""#, "{1:2}"] {
            #expect(throws: JSONReader.Failure.self, "\(bad)") { try JSONReader.parse(Array(bad.utf8)) }
        }
    }

    @Test func parsingIsCheap() {
        let body = Data(JolokiaFixtures.master().utf8)
        let start = ContinuousClock.now
        for _ in 0..<300 { _ = parse(JolokiaFixtures.master()) }
        _ = body
        let elapsed = ContinuousClock.now - start
        // Only a pathological parser fails this; the per-answer cost is measured in the benchmarks.
        #expect(elapsed < .seconds(5), "300 parses took \(elapsed)")
    }

    /// Random mutations of real answers, and random bytes: every result is an observation.
    @Test func fuzzNeverTraps() {
        var generator = SplitMix64(seed: 0xA11CE)
        let seeds = [JolokiaFixtures.master(), JolokiaFixtures.slave(), JolokiaFixtures.discovery(["x"]), JolokiaFixtures.wholeRequestError]
            .map { Array($0.utf8) }
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 8)) {
                let position = Int(generator.next() % UInt64(max(1, bytes.count)))
                switch generator.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int(generator.next() % 40)))
                default: bytes.insert(contentsOf: Array("[{\"status\":200,".utf8), at: position)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            let observation = JolokiaResponseParser.observation(fromBulkRead: Data(bytes), atMillis: 0, latencyMillis: 0, mbeanBrokerName: nil)
            #expect(observation.reachable || observation.error != nil)
            _ = JolokiaResponseParser.brokerNames(fromDiscovery: Data(bytes))
            _ = JolokiaResponseParser.execError(Data(bytes))
        }
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(JolokiaResponseParser.observation(fromBulkRead: deep, atMillis: 0, latencyMillis: 0, mbeanBrokerName: nil).error != nil)
    }
}

/// A tiny deterministic generator so fuzz failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
