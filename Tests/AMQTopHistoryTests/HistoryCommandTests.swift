import AMQTopCore
import Foundation
import Testing
@testable import AMQTopHistory

/// `amqtop history` and crash safety, through the built binary.
@Suite(.serialized)
struct HistoryCommandTests {
    typealias Support = HistoryTestSupport
    static let t: Int64 = 1_800_000_000_000

    /// A history file with two groups' takeovers and one split-brain episode.
    static func sampleHistory() throws -> String {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let store = try HistoryStore(path: path)
        try store.record([
            .failover(Support.takeover(group: "orders", from: "b1", to: "b2", acquiredAt: t, servingAfter: 1400)),
            .failover(Support.takeover(group: "orders", from: "b2", to: "b3", acquiredAt: t + 3_600_000, servingAfter: 3200, cause: .stop)),
            .failover(Support.takeover(group: "billing", from: "p1", to: "p2", acquiredAt: t + 7_200_000)),
            .splitBrain(SplitBrainEpisode(
                group: "orders", key: "lock:\(t):b1", brokers: ["b1", "b2"], startedAtMillis: t + 100, endedAtMillis: t + 2100)),
        ])
        return path
    }

    @Test func jsonParsesAndHoldsTheEventsAndStatistics() async throws {
        let path = try Self.sampleHistory()
        let result = try await Support.runAMQTop(["history", "--history", path, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let failovers = try #require(document["failovers"] as? [[String: Any]])
        #expect(failovers.map { $0["group"] as? String } == ["orders", "orders", "billing"])
        #expect(failovers.map { $0["from"] as? String } == ["b1", "b2", "p1"])
        #expect(failovers.map { $0["cause"] as? String } == ["crash", "stop", "crash"])
        // Gone 800 ms before the acquisition, serving 1400 ms after it.
        #expect(failovers.first?["timeWithoutMasterMillis"] as? Int == 2200)
        let phases = try #require(failovers.first?["phases"] as? [String: Any])
        let acquired = try #require(phases["lockAcquired"] as? [String: Any])
        #expect(acquired["atMillis"] as? Int64 == Self.t)
        #expect(acquired["signal"] as? String == "lock")
        let groups = try #require(document["groups"] as? [[String: Any]])
        let orders = try #require(groups.first { $0["group"] as? String == "orders" })
        #expect(orders["failovers"] as? Int == 2)
        #expect(orders["meanTimeWithoutMasterMillis"] as? Int == 3100)
        #expect(orders["maxTimeWithoutMasterMillis"] as? Int == 4000)
        #expect((document["splitBrains"] as? [Any])?.count == 1)
    }

    @Test func csvHasAHeaderAndOneLinePerFailover() async throws {
        let path = try Self.sampleHistory()
        let result = try await Support.runAMQTop(["history", "--history", path, "--csv", "--group", "orders"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == FailoverHistoryReport.csvHeader.joined(separator: ","))
        #expect(lines.count == 3)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",orders,") })
    }

    @Test func textShowsTheTableAndPerGroupSummary() async throws {
        let path = try Self.sampleHistory()
        let result = try await Support.runAMQTop(["history", "--history", path], environment: ["TZ": "UTC"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("WHEN"))
        #expect(result.stdout.contains("WITHOUT MASTER"))
        let summary = result.stdout.split(separator: "\n").last { $0.hasPrefix("orders ") && $0.contains("3.1s") }
        #expect(summary?.contains("4s") == true, "output: \(result.stdout)")
        #expect(result.stdout.contains("Split brain"))
    }

    @Test func sinceLimitsThePeriod() async throws {
        let path = try Self.sampleHistory()
        let since = TimeFormat.iso(Self.t + 1_800_000)
        let result = try await Support.runAMQTop(["history", "--history", path, "--json", "--since", since])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((document["failovers"] as? [Any])?.count == 2)
        let bad = try await Support.runAMQTop(["history", "--history", path, "--since", "yesterday-ish"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--since"))
    }

    @Test func historyPathComesFromTheConfigOrTheXDGDefault() async throws {
        let state = try Support.temporaryDirectory()
        let defaultPath = HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": state])
        try HistoryStore(path: defaultPath).record(.failover(Support.takeover(acquiredAt: Self.t)))
        let fromDefault = try await Support.runAMQTop(
            ["history", "--json"], environment: ["XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/no-config"])
        #expect(fromDefault.status == 0, "stderr: \(fromDefault.stderr)")
        #expect(fromDefault.stdout.contains(FailoverEvent.lockKey(Self.t)))

        let configured = try Self.sampleHistory()
        let configPath = try Support.temporaryDirectory() + "/amqtop.yaml"
        let yaml = """
            history: \(configured)
            groups:
              - name: orders
                lockFile: /shared/lock
                brokers:
                  - name: b1
                    jolokia: http://127.0.0.1:8161/api/jolokia
            """
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let fromConfig = try await Support.runAMQTop(["history", "--config", configPath, "--json"])
        #expect(fromConfig.status == 0, "stderr: \(fromConfig.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(fromConfig.stdout.utf8)) as? [String: Any])
        #expect((document["failovers"] as? [Any])?.count == 3)
    }

    @Test func missingFileIsAnEmptyHistoryAndACorruptOneAClearError() async throws {
        let directory = try Support.temporaryDirectory()
        let missing = try await Support.runAMQTop(["history", "--history", directory + "/none.sqlite", "--json"])
        #expect(missing.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        #expect((document["failovers"] as? [Any])?.isEmpty == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/none.sqlite"))

        let corrupt = directory + "/corrupt.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: corrupt))
        let result = try await Support.runAMQTop(["history", "--history", corrupt])
        #expect(result.status == 3)
        #expect(result.stderr.contains("corrupt"))
        #expect(FileManager.default.fileExists(atPath: corrupt))
    }

    /// A writer SIGKILLed mid-recording loses none of the events it reported as committed,
    /// and the file stays readable, by the store and by `amqtop history --json`.
    @Test func killDashMidRecordingLosesNoReportedEvent() async throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Support.historySoakPath())
        process.arguments = ["--history", path, "--group", "soak", "--pause-ms", "1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        // Whatever happens below, the writer must not outlive the test.
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }

        var reported: [String] = []
        var buffer = ""
        let reader = out.fileHandleForReading
        while reported.count < 40 {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            while let newline = buffer.firstIndex(of: "\n") {
                let line = String(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.hasPrefix("committed soak ") { reported.append(String(line.dropFirst("committed soak ".count))) }
            }
        }
        kill(pid, SIGKILL)
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(reported.count >= 40)

        let keys = Set(try HistoryStore(path: path).failovers(group: "soak").map(\.key))
        #expect(Set(reported).isSubset(of: keys))

        let result = try await Support.runAMQTop(["history", "--history", path, "--json", "--group", "soak"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let listed = Set(((document["failovers"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
        #expect(Set(reported).isSubset(of: listed))
    }
}
