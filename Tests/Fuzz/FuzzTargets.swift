import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry points over amqtop's parsers of untrusted input, built by `run.sh`.
///
/// `run.sh` compiles this file together with the AMQTopCore sources and the Jolokia and lock
/// parser sources (and the dashboard's AMQTopScreen) as one instrumented module (so coverage
/// guides the fuzzer through them), which is why nothing here imports AMQTopCore, AMQTopProbes
/// or AMQTopScreen. One binary serves the six targets; `AMQTOP_FUZZ_TARGET` (jolokia, lock,
/// config, brokerxml, brokerlog or pipeline) picks one, because libFuzzer allows a single
/// entry point per process and each target has its own corpus.
enum FuzzTarget: String {
    case jolokia, lock, config, brokerxml, brokerlog, pipeline

    /// The target named by the environment; jolokia when unset.
    static let selected: FuzzTarget = {
        let name = getenv("AMQTOP_FUZZ_TARGET").map { String(cString: $0) } ?? "jolokia"
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("AMQTOP_FUZZ_TARGET must be jolokia, lock, config, brokerxml, brokerlog or pipeline, not \(name)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// Feeds one input to the target; any trap, overflow or leak is the finding.
    ///
    /// The jolokia target also holds the bulk read's streaming reader (`BulkReadScanner`) to
    /// the tree-based rules it replaced (`ReferenceBulkRead`): the same observation, error
    /// texts included. The config target checks only for traps (and that config errors are
    /// ConfigErrors). What the parsers' results must be is asserted against an independent
    /// oracle (Foundation's JSON decoder) in `JolokiaResponseParserTests` and
    /// `FuzzCorpusReplayTests`, which replay every input kept here. The lock target's
    /// checks are independent properties: a byte-swap round trip and words of the line.
    func run(_ data: Data) {
        switch self {
        case .jolokia:
            let observation = JolokiaResponseParser.observation(fromBulkRead: data, atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
            let reference = ReferenceBulkRead.observation(data)
            precondition(observation == reference, "BulkReadScanner read \(observation), the tree \(reference)")
            // Touch what the screen would show, so lazily built texts are exercised too.
            _ = observation.error?.summary
            _ = JolokiaResponseParser.brokerNames(fromDiscovery: data)
            _ = JolokiaResponseParser.execError(data)
            _ = JolokiaResponseParser.brokerName(inObjectName: String(decoding: data, as: UTF8.self))
        case .lock:
            let decoded = LockFileSnapshot.decodeTimestamp(data)
            // The decoder's contract: nil below 8 bytes, else the first 8 bytes big-endian,
            // checked by a round trip through the platform's byte swap (not the decoder's loop).
            if data.count < 8 {
                precondition(decoded == nil, "a timestamp from \(data.count) bytes")
            } else {
                let encoded = decoded.map { withUnsafeBytes(of: UInt64(bitPattern: $0).bigEndian) { Array($0) } }
                precondition(encoded == Array(data.prefix(8)), "wrong timestamp")
            }
            // The reader's other inputs are text it parses: /proc/locks (who holds the lock)
            // and /proc/self/mountinfo (which filesystem, NFS version); the same bytes feed both.
            let text = String(decoding: data, as: UTF8.self)
            for lock in ProcLock.parse(text) {
                precondition(!lock.kind.isEmpty && !lock.access.isEmpty, "a lock without kind or access")
            }
            let mounts = MountInfo.parse(text)
            for mount in mounts {
                _ = mount.filesystemInfo
            }
            _ = MountInfo.mount(containing: "/var/lib/activemq/data/lock", in: mounts)
            if let first = mounts.first {
                precondition(MountInfo.mount(containing: first.mountPoint + "/lock", in: mounts) != nil || !first.mountPoint.hasPrefix("/"),
                             "an absolute mount point does not contain its own file")
            }
            _ = MountInfo.unescape(text)
        case .config:
            // Password and CA files are not checked: the fuzzer must not depend on the disk.
            var parser = ConfigParser(fileName: "fuzz.yaml", environment: ["AMQ_PASSWORD": "x"], baseDirectory: "/nonexistent",
                                      checkPasswordFile: { _ in nil })
            parser.checkCAFile = { _ in nil }
            do {
                _ = try parser.parse(String(decoding: data, as: UTF8.self))
            } catch let error as ConfigError {
                _ = "\(error)"
            } catch {
                preconditionFailure("ConfigParser threw something other than ConfigError: \(error)")
            }
        case .brokerxml:
            Self.brokerXML(data)
        case .pipeline:
            FuzzPipeline.run(data)
        case .brokerlog:
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                guard let parsed = BrokerLogLineParser.parse(line) else { continue }
                // Whatever the text, a parsed time converts without trapping, at any zone offset.
                _ = parsed.timestamp.epochMillis(offsetSeconds: -14 * 3600)
                _ = parsed.timestamp.epochMillis(offsetSeconds: 14 * 3600)
                precondition(BrokerLogLineParser.levels.contains(parsed.level), "a level outside the set: \(parsed.level)")
            }
            // The import's reconstruction, with the input as one broker's log and as two
            // (split in half): any lines give tenures, each started by its own `started` line.
            let text = String(decoding: data, as: UTF8.self)
            let utc = TimeZone(identifier: "UTC") ?? .current
            let whole = BrokerLogScan.scan(path: "fuzz", text: text, timeZone: utc)
            let halves = [text.prefix(text.count / 2), text.dropFirst(text.count / 2)].map {
                BrokerLogScan.scan(path: "fuzz", text: String($0), timeZone: utc)
            }
            let tenures = LogHistoryReconstructor.tenures([.init(broker: "a", entries: whole.entries)])
            let split = LogHistoryReconstructor.tenures(halves.enumerated().map { .init(broker: "b\($0.offset)", entries: $0.element.entries) })
            func startedLines(_ scan: BrokerLogScan) -> Int {
                scan.entries.filter { if case .started = $0.event { true } else { false } }.count
            }
            precondition(tenures.count <= startedLines(whole), "\(tenures.count) tenures from \(startedLines(whole)) started lines")
            let halvesStarted = halves.map(startedLines).reduce(0, +)
            precondition(split.count <= halvesStarted, "\(split.count) tenures from \(halvesStarted) started lines in halves")
            for tenure in tenures + split {
                precondition(tenure.acquiredAfterMillis <= tenure.startedAtMillis, "a lock taken after its master started: \(tenure)")
            }
        }
    }
}

extension FuzzTarget {
    /// `amqtop init`'s whole pure path on one file: XML, broker definitions, grouping (the file
    /// twice, so drift and name clashes run too), YAML. The contract: a `BrokerFileError` or a
    /// YAML that the config parser accepts, never anything else.
    static func brokerXML(_ data: Data) {
        let file = "/opt/amq/conf/activemq.xml"
        let definitions: [BrokerDefinition]
        do {
            let root = try XMLTreeParser.parse(data, fileName: file)
            definitions = try BrokerDefinitionReader(file: file, layout: InstanceLayout(xmlPath: file)).read(root, jettyXML: root)
        } catch let error as BrokerFileError {
            _ = "\(error)"
            return
        } catch {
            preconditionFailure("the broker XML reader threw something other than BrokerFileError: \(error)")
        }
        let plan = BrokerGrouper.plan(definitions + definitions)
        let yaml = InitYAMLRenderer.render(plan, sources: [file])
        do {
            _ = try ConfigParser(fileName: "init.yaml", environment: [:], checkPasswordFile: { _ in nil }).parse(yaml)
        } catch {
            preconditionFailure("amqtop init rendered a config its own parser refuses: \(error)\n\(yaml)")
        }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.selected.run(data)
    return 0
}
