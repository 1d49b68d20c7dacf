import AMQTopCore
import AMQTopProbes
import AMQTopScreen
import Foundation

/// The `pipeline` fuzz target's body, shared by the fuzzer (`Tests/Fuzz/run.sh` compiles this
/// file into its one module, imports dropped) and `FuzzCorpusReplayTests` (which replays its corpus).
public enum FuzzPipeline {
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
    public static func run(_ data: Data) {
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
