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
