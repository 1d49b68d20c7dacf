import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The streaming bulk-read reader gives exactly what reading the whole tree gave (`ReferenceBulkRead`).
@Suite struct BulkReadScannerTests {
    static func streamed(_ bytes: [UInt8]) -> JolokiaObservation {
        JolokiaResponseParser.observation(fromBulkRead: Data(bytes), atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
    }

    static func expectSame(_ bytes: [UInt8], _ context: String = "") {
        let streamed = streamed(bytes)
        let reference = ReferenceBulkRead.observation(Data(bytes))
        #expect(streamed == reference, "\(context) \(JolokiaResponseParserTests.show(bytes))")
    }

    static let m = JolokiaFixtures.mbean("b")

    /// Shapes where a reader that does not build the tree could go wrong: repeated and
    /// escaped names, odd status values, maps with repeated keys, answers that are not
    /// objects, nesting at the limit, bad bytes inside members that are only skipped.
    static let tricky: [String] = {
        let ok = { (attribute: String, value: String) in JolokiaFixtures.ok(m, attribute, value) }
        let deep = { (levels: Int) in String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        return [
            // A repeated `request` replaces the first, attribute and all: position decides.
            #"[{"status":200,"value":true,"request":{"attribute":"Slave"},"request":{"type":"read"}}]"#,
            #"[{"request":{"attribute":"BrokerName"},"request":5,"status":200,"value":"x"},{"status":200,"value":false}]"#,
            #"[{"request":{"attribute":"Slave","attribute":1},"status":200,"value":true}]"#,
            #"[\#(ok("Slave", "true")),{"request":{"attribute":7},"status":200,"value":"n"},{"request":{"attribute":"Slave"},"request":{"attribute":"BrokerId"},"status":200,"value":"i"}]"#,
            // Repeated and escaped member names, escaped attribute names and values.
            #"[{"request":{"attribute":"Slave"},"value":1,"value":true,"status":500,"status":200}]"#,
            #"[{"request":{"attr\u0069bute":"Sl\u0061ve"},"val\u0075e":false,"st\u0061tus":200},{"request":{"attribute":"Br\u006fkerName"},"value":"a\/b\u00e9\ud83d\ude00","status":200}]"#,
            #"[\#(ok("Slave", #""tru\u0065""#)),\#(ok("DataDirectory", #""\/var\/lib""#)),\#(ok("BrokerVersion", #""5\n\t\"x\"""#))]"#,
            "[" + ok("Slave", "\"true\"") + "," + ok("BrokerName", "\"\\ud800\\u0041\"") + "," + ok("BrokerId", "\"\\udc00\"") + "]",
            // Status of every type; Slave of every type.
            #"[{"request":{"attribute":"Slave"},"value":true,"status":200.0},{"request":{"attribute":"UptimeMillis"},"value":5,"status":2e2}]"#,
            #"[{"request":{"attribute":"Slave"},"value":true,"status":"200"},{"request":{"attribute":"UptimeMillis"},"value":5,"status":200.5}]"#,
            #"[{"request":{"attribute":"Slave"},"value":true,"status":1e400},{"request":{"attribute":"UptimeMillis"},"value":5,"status":-200}]"#,
            #"[{"request":{"attribute":"Slave"},"value":true},{"request":{"attribute":"UptimeMillis"},"value":5,"status":null}]"#,
            "[" + ok("Slave", "null") + "]", "[" + ok("Slave", "[true]") + "," + ok("UptimeMillis", "1") + "]",
            "[" + ok("Slave", "{\"a\":true}") + "]", "[" + ok("Slave", "1") + "," + ok("BrokerName", "2") + "]",
            // Numbers at and past the edges, as counts and percents.
            "[" + ok("UptimeMillis", "9223372036854775807") + "," + ok("TotalMessageCount", "-9223372036854775808") + "]",
            "[" + ok("UptimeMillis", "9223372036854775808") + "," + ok("TotalMessageCount", "-9223372036854775809") + "]",
            "[" + ok("UptimeMillis", "-0") + "," + ok("StorePercentUsage", "1e2") + "," + ok("MemoryPercentUsage", "0.5") + "," + ok("CurrentConnectionsCount", "9.2e18") + "]",
            "[" + ok("UptimeMillis", "1e-400") + "," + ok("StorePercentUsage", String(repeating: "9", count: 400)) + "]",
            // Maps: repeated keys count by their last value, non-strings dropped, null is empty.
            "[" + ok("TransportConnectors", #"{"a":"x","a":1,"b":1,"b":"y","c":{"d":"e"},"\u0066":"g\/h"}"#) + "]",
            "[" + ok("TransportConnectors", "null") + "," + ok("Slave", "false") + "]",
            "[" + ok("TransportConnectors", "[]") + "," + ok("Slave", "false") + "]",
            "[" + ok("TransportConnectors", "\"tcp\"") + "]",
            // Errors: prefixes, types that are not strings, long messages.
            #"[{"request":{"attribute":"Slave"},"error":"T : gone","error_type":"T","status":404}]"#,
            #"[{"request":{"attribute":"Slave"},"error":"T : gone","error_type":5,"status":404},{"error":7,"status":500}]"#,
            #"[{"request":{"attribute":"Slave"},"error":"\#(String(repeating: "é", count: 400))","status":500},{"status":200}]"#,
            #"[{"request":{"attribute":"Slave"},"status":"oops"},\#(ok("UptimeMillis", "\"soon\""))]"#,
            // Attributes unknown, and past the requests' positions.
            "[" + ok("Slave", "true") + "," + ok("Unknown", "{\"x\":[1,2]}") + "]",
            "[" + Array(repeating: #"{"status":200,"value":1}"#, count: 13).joined(separator: ",") + "]",
            "[" + Array(repeating: #"{"status":404}"#, count: 12).joined(separator: ",") + "]",
            // Answers that are not objects: what came before is kept, unless the body is not JSON.
            "[" + ok("Slave", "true") + ",5," + ok("UptimeMillis", "1") + "]",
            "[" + ok("Slave", "true") + ",[],{\"status\":}]", "[5,{]", "[{}]", "[{},{}]", "[[]]", "[null]",
            // Whole documents that are not arrays.
            #"{"error":"javax.management.InstanceNotFoundException : x","error_type":"javax.management.InstanceNotFoundException","status":404}"#,
            #"{"status":"404","error":"x"}"#, #"{"status":200,"value":[]}"#, #"{"status":404}"#, #"{"status":503,"error":5}"#,
            "\"x\"", "5", "null", "true", " [ ] ", "   ", "[] x", "{} {}", "[1,]", "{\"a\":1,}",
            // Nesting at the limit, in skipped members and in values.
            "[{\"request\":{\"attribute\":\"Slave\"},\"status\":200,\"value\":true,\"x\":" + deep(61) + "}]",
            "[{\"request\":{\"attribute\":\"Slave\"},\"status\":200,\"value\":true,\"x\":" + deep(62) + "}]",
            "[{\"request\":{\"attribute\":\"Slave\",\"x\":" + deep(60) + "},\"status\":200,\"value\":true}]",
            "[{\"request\":{\"attribute\":\"Slave\",\"x\":" + deep(61) + "},\"status\":200,\"value\":true}]",
            deep(64), deep(65), "[" + ok("TransportConnectors", "{\"a\":" + deep(60) + "}") + "]",
            // Numbers the grammar refuses, in skipped members.
            "[{\"timestamp\":01,\"status\":200}]", "[{\"timestamp\":1.,\"status\":200}]", "[{\"timestamp\":-,\"status\":200}]",
            "[{\"timestamp\":1e5-3,\"status\":200}]", "[{\"timestamp\":NaN}]", "[{\"timestamp\":Infinity}]", "[{\"t\":tru}]",
            // Escapes the grammar refuses, in skipped strings and names.
            #"[{"stacktrace":"a\x","status":200}]"#, #"[{"stacktrace":"\u12","status":200}]"#, #"[{"stacktrace":"\u12G4"}]"#,
            #"[{"stacktrace":"\ud83d\u12"}]"#, #"[{"st\q":1}]"#, #"[{"stacktrace":"abc"#, #"[{"stacktrace":"abc\"#,
        ]
    }()

    @Test func agreesWithTheTreeOnTrickyAnswers() {
        for text in Self.tricky { Self.expectSame(Array(text.utf8)) }
        // Bad bytes where only a skip goes: in a name, in a string with escapes, after one.
        let bad: [[UInt8]] = [
            Array(#"[{""#.utf8) + [0xFF] + Array(#"":1,"status":200}]"#.utf8),
            Array(#"[{"stacktrace":"a\n"#.utf8) + [0xC3] + Array(#"","status":200}]"#.utf8),
            Array(#"[{"stacktrace":"a"#.utf8) + [0xC3] + Array(#"\n","status":200}]"#.utf8),
            Array(#"[{"stacktrace":"\u00e9"#.utf8) + [0xA9] + Array(#"","status":200}]"#.utf8),
            Array(#"[{"stacktrace":"é\n"#.utf8) + [0xED, 0xA0, 0x80] + Array(#"","status":200}]"#.utf8),
            Array(#"[{"stacktrace":"a"#.utf8) + [0x01] + Array(#"b","status":200}]"#.utf8),
            Array(#"[{"stacktrace":"a\n"#.utf8) + [0xFF, 0x01] + Array(#"b","status":200}]"#.utf8),
            Array(#"[{"request":{"attribute":"Sl"#.utf8) + [0xFF] + Array(#"ve"},"status":200,"value":true}]"#.utf8),
            Array(#"[{"request":{"attribute":"Slave"},"status":200,"value":true,"error":"x"#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}]"#.utf8),
        ]
        for bytes in bad { Self.expectSame(bytes) }
    }

    /// Random mutations of real answers, and of the shapes above, agree observation for observation.
    @Test func agreesWithTheTreeOnMutations() {
        var generator = SplitMix64(seed: 0x5CA2)
        let fragments = [#""value":"#, #""request":{"attribute":"Slave"}"#, #""status":200"#, #"\u0041"#, "[[[[", "]]}", ",", "\"", "\\",
                         #""error":"T : x","error_type":"T""#, "1e400", "-0", "null", "{}", "\u{00e9}"].map { Array($0.utf8) }
        let seeds = ([JolokiaFixtures.master(), JolokiaFixtures.slave(), JolokiaFixtures.wholeRequestError] + Self.tricky.prefix(30))
            .map { Array($0.utf8) }
        for round in 0..<4000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 6)) {
                let position = Int(generator.next() % UInt64(max(1, bytes.count)))
                switch generator.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int(generator.next() % 12)))
                case 2: bytes.insert(contentsOf: fragments[Int(generator.next() % UInt64(fragments.count))], at: position)
                default: bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 60)], at: position)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            Self.expectSame(bytes, "round \(round):")
        }
    }

    /// Borrowed bytes are read where they are: a slice in the middle of a larger buffer (as
    /// a `ByteBuffer`'s readable bytes are) reads like the same bytes on their own.
    @Test func readsBorrowedBytesInPlace() {
        for text in [JolokiaFixtures.master(), JolokiaFixtures.slave(), "[1,", "\"x\" 5"] {
            let bytes = Array(text.utf8)
            let padded = Array("}]\"\\".utf8) + bytes + Array("\"[{".utf8)
            let inPlace = padded.withUnsafeBytes { raw in
                JolokiaResponseParser.observation(
                    fromBulkRead: UnsafeRawBufferPointer(rebasing: raw[4..<(4 + bytes.count)]), atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
            }
            #expect(inPlace == Self.streamed(bytes), "\(text)")
            #expect(inPlace == ReferenceBulkRead.observation(Data(bytes)), "\(text)")
        }
    }
}

extension BulkReadScannerTests {
    /// Every input the fuzzer ever kept for the parser and the pipeline agrees too.
    @Test func agreesWithTheTreeOnTheFuzzCorpus() throws {
        let inputs = try FuzzCorpusReplayTests.corpus("jolokia") + FuzzCorpusReplayTests.corpus("pipeline")
        #expect(inputs.count >= 10, "the seed corpus is missing")
        for (name, data) in inputs { Self.expectSame(Array(data), name) }
    }
}
