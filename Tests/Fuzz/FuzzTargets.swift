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
    /// The jolokia and config targets check only for traps (and that config errors are
    /// ConfigErrors): what their results must be is asserted against an independent oracle
    /// (Foundation's JSON decoder) in `JolokiaResponseParserTests` and
    /// `FuzzCorpusReplayTests`, which replay every input kept here. The lock target's
    /// checks are independent properties: a byte-swap round trip and words of the line.
    func run(_ data: Data) {
        switch self {
        case .jolokia:
            let observation = JolokiaResponseParser.observation(fromBulkRead: data, atMillis: 0, latencyMillis: 0, mbeanBrokerName: nil)
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
            Self.pipeline(data)
        case .brokerlog:
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                guard let parsed = BrokerLogLineParser.parse(line) else { continue }
                // Whatever the text, a parsed time converts without trapping, at any zone offset.
                _ = parsed.timestamp.epochMillis(offsetSeconds: -14 * 3600)
                _ = parsed.timestamp.epochMillis(offsetSeconds: 14 * 3600)
                precondition(BrokerLogLineParser.levels.contains(parsed.level), "a level outside the set: \(parsed.level)")
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

extension FuzzTarget {
    /// Arbitrary lock bytes and Jolokia answers through everything that uses their values:
    /// observation, assessment (every alert rule), the failover detector over three rounds,
    /// `amqtop status`'s text and JSON, and the dashboard's overview and group frames.
    ///
    /// The lock fuzzer once fuzzed the decoder alone, and an `Int64.min` timestamp trapped
    /// in the mtime check downstream. Input: 8 lock bytes, 8 bytes of mtime (nanoseconds),
    /// one byte choosing the holder and whether the file is replaced by round 2, 8 bytes of
    /// the next round's timestamp, then two Jolokia bodies split at the first NUL.
    /// Oracles: no trap; the status text holds no control character but its line feeds and
    /// has exactly the rows its structure gives (CR/LF cannot forge one); its JSON parses;
    /// no cell of a frame holds a control character.
    static func pipeline(_ data: Data) {
        let bytes = [UInt8](data)
        func word(_ offset: Int) -> [UInt8] { Array(bytes.dropFirst(offset).prefix(8)) }
        func int64(_ offset: Int) -> Int64 {
            word(offset).count == 8 ? LockFileSnapshot.decodeTimestamp(word(offset)) ?? 0 : 0
        }
        let selector = bytes.count > 16 ? bytes[16] : 0
        let bodies = bytes.count > 25 ? Array(bytes[25...]).split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false) : []
        let now: Int64 = 1_764_000_000_000
        let brokers = [
            BrokerConfig(name: "b1", jolokia: "http://10.0.0.1:8161/api/jolokia", pidFile: "/run/b1.pid"),
            BrokerConfig(name: "b2", jolokia: "http://10.0.0.2:8161/api/jolokia"),
        ]
        let group = GroupConfig(
            name: "orders", lockFile: "/var/lib/activemq/kahadb/lock", lockKeepAlivePeriodMillis: selector & 8 == 0 ? nil : 2000,
            brokers: brokers)
        var detector = FailoverDetector(group: group.name)
        var failovers: [FailoverEvent] = []
        var last: (GroupObservation, GroupAssessment)?
        for round in 0..<3 {
            let at = now + Int64(round) * 250
            var lock = LockFileSnapshot(
                path: group.lockFile ?? "", atMillis: at, state: .ok, size: Int64(bytes.count), mtimeMillis: int64(8) / 1_000_000,
                device: 2049, inode: round == 2 && selector & 16 != 0 ? 13 : 12, mtimeNanos: int64(8))
            lock.setTimestamp(fromBytes: round == 0 ? word(0) : word(17).count == 8 ? word(17) : word(0))
            switch selector & 7 {
            case 0: lock.holder = .free
            case 1: lock.holder = .elsewhere
            case 2: lock.holder = .pid(Int32(truncatingIfNeeded: int64(8)))
            case 3: lock.holder = .unknown(String(decoding: bodies.first ?? [], as: UTF8.self))
            default: lock.holder = .pid(4242)
            }
            let observations = brokers.enumerated().map { index, broker in
                let body = index < bodies.count ? Data(bodies[index]) : Data()
                let jolokia = JolokiaResponseParser.observation(fromBulkRead: body, atMillis: at, latencyMillis: 3, mbeanBrokerName: nil)
                let process = index == 0 ? ProcessObservation(atMillis: at, pid: 4242, state: .alive) : nil
                return BrokerObservation(name: broker.name, jolokia: jolokia, process: process)
            }
            let observation = GroupObservation(name: group.name, lock: lock, brokers: observations)
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: at)
            for update in detector.observe(observation, assessment: assessment, nowMillis: at) {
                if case .failover(let event) = update { failovers.append(event) }
            }
            last = (observation, assessment)
        }
        guard let (observation, assessment) = last else { return }

        let report = StatusReport(entries: [StatusReport.Entry(config: group, observation: observation, assessment: assessment)], nowMillis: now)
        let text = StatusText.render(report)
        precondition(!text.unicodeScalars.contains { $0 != "\n" && TerminalText.needsEscape($0) }, "a control character in the status text")
        // Title, blank, GROUP, lock, keep-alive, the table's header and one row per broker,
        // two lines per alert (or "no alerts"), and the empty string after the last newline.
        let rows = 5 + 1 + brokers.count + max(1, 2 * assessment.alerts.count) + 1
        precondition(text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count == rows, "the status text has forged rows:\n\(text)")
        let json = StatusJSON.document(report).serialized()
        precondition((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "status --json is not JSON")

        var state = AppState(config: AppConfig(groups: [group]), nowMillis: now + 500, width: 100, height: 40)
        state.observations[group.name] = observation
        state.assessments[group.name] = assessment
        state.recentFailovers[group.name] = failovers
        for view in [AppView.overview, .group(group.name)] {
            state.view = view
            let frame = TextRenderer.render(DashboardRenderer.render(state, context: ViewContext()))
            precondition(!frame.unicodeScalars.contains { $0 != "\n" && $0.value < 0x20 || $0.value == 0x1b || (0x7f...0x9f).contains($0.value) },
                         "a control character in a dashboard frame")
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
