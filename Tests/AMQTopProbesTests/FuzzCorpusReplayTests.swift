import AMQTopCore
import AMQTopFuzzPipeline
import Foundation
import Testing

@testable import AMQTopProbes

/// Replays the committed fuzz corpus (`Tests/Fuzz/corpus/`) through the same six entry
/// points as `Tests/Fuzz/FuzzTargets.swift`, in the normal test run.
///
/// `FuzzRunTests` builds the instrumented fuzzer and runs it for a bounded time; this runs
/// every input it ever kept (and every seed) uninstrumented in milliseconds, and runs even
/// where the toolchain has no libFuzzer.
@Suite struct FuzzCorpusReplayTests {
    /// `Tests/Fuzz/corpus/<target>`, found from this file's own path.
    static func corpus(_ target: String) throws -> [(name: String, data: Data)] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/\(target)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { ($0, try Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    @Test func jolokiaCorpus() throws {
        let inputs = try Self.corpus("jolokia")
        #expect(inputs.count >= 5, "the seed corpus is missing")
        var readable = 0
        for (name, data) in inputs {
            let observation = JolokiaResponseParser.observation(fromBulkRead: data, atMillis: 0, latencyMillis: 0, mbeanBrokerName: nil)
            _ = observation.error?.summary
            // The same independent oracle as the parser's mutation test (Foundation's decoder).
            JolokiaResponseParserTests.expectAgrees(
                observation, with: JolokiaResponseParserTests.referenceOutcome(Array(data)), bytes: Array(data), round: 0)
            _ = JolokiaResponseParser.brokerNames(fromDiscovery: data)
            _ = JolokiaResponseParser.execError(data)
            _ = JolokiaResponseParser.brokerName(inObjectName: String(decoding: data, as: UTF8.self))
            if name == "master.json" || name == "slave.json" {
                #expect(observation.error == nil, "\(name): \(String(describing: observation.error))")
            }
            if observation.error == nil { readable += 1 }
        }
        #expect(readable >= 2)
    }

    @Test func lockCorpus() throws {
        let inputs = try Self.corpus("lock")
        #expect(!inputs.isEmpty, "the seed corpus is missing")
        for (name, data) in inputs {
            let decoded = LockFileSnapshot.decodeTimestamp(data)
            if data.count < 8 {
                #expect(decoded == nil, "\(name)")
            } else if let decoded {
                // A round trip through the platform's own byte swap, not a copy of the decoder's loop.
                let encoded = withUnsafeBytes(of: UInt64(bitPattern: decoded).bigEndian) { Array($0) }
                #expect(encoded == Array(data.prefix(8)), "\(name)")
            } else {
                Issue.record("\(name): no timestamp from \(data.count) bytes")
            }
            let text = String(decoding: data, as: UTF8.self)
            // Every lock parsed is one line's own words: its pid and inode are written there.
            let lines = text.split(separator: "\n").map { Set($0.split(separator: " ").flatMap { $0.split(separator: ":") }.map(String.init)) }
            for lock in ProcLock.parse(text) {
                #expect(lines.contains { $0.contains(String(lock.pid)) && $0.contains(String(lock.inode)) && $0.contains(lock.access) },
                        "\(name): \(lock) is on no line")
            }
            let mounts = MountInfo.parse(text)
            _ = mounts.map(\.filesystemInfo)
            _ = MountInfo.mount(containing: "/var/lib/activemq/data/lock", in: mounts)
            _ = MountInfo.unescape(text)
        }
    }

    @Test func configCorpus() throws {
        let inputs = try Self.corpus("config")
        #expect(inputs.count >= 3, "the seed corpus is missing")
        var parser = ConfigParser(fileName: "fuzz.yaml", environment: ["AMQ_PASSWORD": "x"], baseDirectory: "/nonexistent",
                                  checkPasswordFile: { _ in nil })
        parser.checkCAFile = { _ in nil }
        var parsed = 0
        for (name, data) in inputs {
            do {
                _ = try parser.parse(String(decoding: data, as: UTF8.self))
                parsed += 1
            } catch let error as ConfigError {
                // Every mistake names its file: the message an operator would see.
                #expect(error.file == "fuzz.yaml", "\(name): \(error)")
            } catch {
                Issue.record("\(name): not a ConfigError: \(error)")
            }
        }
        #expect(parsed >= 2, "the documented examples must parse")
    }

    /// `amqtop init`'s pure path: a `BrokerFileError`, or a YAML the config parser accepts.
    @Test func brokerXMLCorpus() throws {
        let inputs = try Self.corpus("brokerxml")
        #expect(inputs.count >= 4, "the seed corpus is missing")
        var rendered = 0
        for (name, data) in inputs {
            let file = "/opt/amq/conf/activemq.xml"
            let definitions: [BrokerDefinition]
            do {
                let root = try XMLTreeParser.parse(data, fileName: file)
                definitions = try BrokerDefinitionReader(file: file, layout: InstanceLayout(xmlPath: file)).read(root, jettyXML: root)
            } catch let error as BrokerFileError {
                #expect(error.file == file, "\(name): \(error)")
                continue
            }
            let yaml = InitYAMLRenderer.render(BrokerGrouper.plan(definitions + definitions), sources: [file])
            #expect(throws: Never.self, "\(name)") {
                _ = try ConfigParser(fileName: "init.yaml", environment: [:], checkPasswordFile: { _ in nil }).parse(yaml)
            }
            rendered += 1
        }
        #expect(rendered >= 3, "the real configurations must render")
    }

    @Test func brokerLogCorpus() throws {
        let inputs = try Self.corpus("brokerlog")
        #expect(!inputs.isEmpty, "the seed corpus is missing")
        var events = 0
        for (_, data) in inputs {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                guard let parsed = BrokerLogLineParser.parse(line) else { continue }
                _ = parsed.timestamp.epochMillis(offsetSeconds: 0)
                if parsed.event != .other { events += 1 }
            }
        }
        #expect(events >= 8, "the seed log's lock and lifecycle lines")
    }

    /// Lock bytes and Jolokia answers through assessment, history, status and the dashboard;
    /// the oracles (no forged row, no control character, JSON that parses) are preconditions.
    @Test func pipelineCorpus() throws {
        let inputs = try Self.corpus("pipeline")
        #expect(inputs.count >= 5, "the seed corpus is missing")
        for (_, data) in inputs { FuzzPipeline.run(data) }
    }
}
