import AMQTopCore
import Foundation
import Testing
@testable import AMQTopHistory

/// The dashboard's recorder: detection and storing in one step, and monitoring that goes on.
struct HistoryRecorderTests {
    typealias F = HistoryFixtures
    typealias Step = HistoryFixtures.Step
    static let ts1 = F.at(-3600)

    static let stopThenTakeover: [Step] = [
        Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
        Step(seconds: 1, lock: .free(acquiredAt: ts1), brokers: [.stopped, .silent(102), .silent(103)]),
        Step(seconds: 2, lock: .held(acquiredAt: F.at(1.5), pid: 102), brokers: [.stopped, .master(102), .silent(103)]),
    ]

    func feed(_ recorder: HistoryRecorder, _ steps: [Step]) async -> [HistoryUpdate] {
        var all: [HistoryUpdate] = []
        let group = F.group()
        for step in steps {
            let observation = F.observation(step)
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: F.at(step.seconds))
            all += await recorder.observe(observation, assessment: assessment, nowMillis: F.at(step.seconds))
        }
        return all
    }

    @Test func recordsWhatItDetectsWithTheStopCause() async throws {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        let recorder = HistoryRecorder(path: path)
        await recorder.noteStop(group: "orders", broker: "b1", atMillis: F.at(0.5))
        let updates = await feed(recorder, Self.stopThenTakeover)
        #expect(!updates.isEmpty)
        #expect(await recorder.takeNotices().isEmpty)

        let recent = await recorder.recentFailovers(group: "orders", limit: 5)
        #expect(recent.count == 1)
        #expect(recent.first?.cause == .stop)
        #expect(recent.first?.fromBroker == "b1")
        #expect(recent.first?.toBroker == "b2")
        let store = try HistoryStore(path: path)
        #expect(try store.tenures().map(\.master) == ["b1", "b2"])
    }

    /// Two groups' takeovers, their polls interleaved, each with a stop note: `orders`'s
    /// stop comes before its takeover, `billing`'s only after it.
    static func twoGroupsBurst() -> [HistoryEntry] {
        var entries: [HistoryEntry] = []
        let group = F.group()
        for (index, step) in stopThenTakeover.enumerated() {
            if index == 1 { entries.append(.noteStop(group: "orders", broker: "b1", atMillis: F.at(0.5))) }
            for name in ["orders", "billing"] {
                var config = group
                config.name = name
                var observation = F.observation(step)
                observation.name = name
                let now = F.at(step.seconds)
                entries.append(.observe(observation, GroupAssessor.assess(group: config, observation: observation, nowMillis: now), nowMillis: now))
            }
        }
        entries.append(.noteStop(group: "billing", broker: "b1", atMillis: F.at(2.5)))
        return entries
    }

    /// A burst is one transaction and records exactly what the same entries one by one do,
    /// in their order: both groups' takeovers, each with its own cause.
    @Test func aBurstIsOneTransactionAndRecordsWhatOneByOneDoes() async throws {
        let directory = try HistoryTestSupport.temporaryDirectory()
        let entries = Self.twoGroupsBurst()
        let burst = HistoryRecorder(path: directory + "/burst.sqlite")
        let burstUpdates = await burst.record(entries)
        #expect(await burst.committedTransactions == 1)

        let single = HistoryRecorder(path: directory + "/single.sqlite")
        var singleUpdates: [HistoryUpdate] = []
        for entry in entries {
            switch entry {
            case .observe(let observation, let assessment, let now):
                singleUpdates += await single.observe(observation, assessment: assessment, nowMillis: now)
            case .noteStop(let group, let broker, let at):
                await single.noteStop(group: group, broker: broker, atMillis: at)
            }
        }
        #expect(await single.committedTransactions > 1)
        #expect(burstUpdates == singleUpdates)

        let stored = try HistoryStore(path: directory + "/burst.sqlite")
        let expected = try HistoryStore(path: directory + "/single.sqlite")
        #expect(try stored.failovers() == expected.failovers())
        #expect(try stored.tenures() == expected.tenures())
        #expect(try stored.splitBrains() == expected.splitBrains())
        let failovers = try stored.failovers()
        #expect(failovers.map(\.group).sorted() == ["billing", "orders"])
        // The stop noted before its takeover caused it; the one noted after did not.
        #expect(failovers.first { $0.group == "orders" }?.cause == .stop)
        #expect(failovers.first { $0.group == "billing" }?.cause != .stop)
        #expect(try stored.tenures(group: "billing").map(\.master) == ["b1", "b2"])
    }

    /// A burst that changes nothing writes nothing.
    @Test func aBurstOfUnchangedObservationsCommitsNothing() async throws {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        let recorder = HistoryRecorder(path: path)
        let step = Self.stopThenTakeover[0]
        let observation = F.observation(step)
        let assessment = GroupAssessor.assess(group: F.group(), observation: observation, nowMillis: F.at(0))
        await recorder.record([.observe(observation, assessment, nowMillis: F.at(0))])
        #expect(await recorder.committedTransactions == 1, "the first sighting starts a tenure")
        let again = await recorder.record((1...5).map { _ in .observe(observation, assessment, nowMillis: F.at(0)) })
        #expect(again.isEmpty)
        #expect(await recorder.committedTransactions == 1)
    }

    @Test func corruptFileAtStartIsReportedAndRecordingGoesOn() async throws {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        try Data(repeating: 0xEE, count: 2048).write(to: URL(fileURLWithPath: path))
        let recorder = HistoryRecorder(path: path)
        let notices = await recorder.takeNotices()
        #expect(notices.count == 1)
        #expect(notices.first?.contains("corrupt") == true)
        #expect(await recorder.isRecording)
        _ = await feed(recorder, Self.stopThenTakeover)
        #expect(await recorder.recentFailovers(group: "orders", limit: 5).count == 1)
    }

    @Test func historyOffStillDetects() async throws {
        // The history's directory would have to be inside a regular file: it cannot be created.
        let directory = try HistoryTestSupport.temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory + "/plain", contents: Data("x".utf8)))
        let recorder = HistoryRecorder(path: directory + "/plain/history.sqlite")
        let notices = await recorder.takeNotices()
        #expect(!notices.isEmpty)
        #expect(await recorder.isRecording == false)
        let updates = await feed(recorder, Self.stopThenTakeover)
        #expect(updates.contains { if case .failover = $0 { true } else { false } })
    }
}
