import AMQTopCore
import Foundation
import Testing
@testable import AMQTopHistory

/// The recorder with a tailed broker log (`brokerLog:`): the old master's own lines tell a
/// takeover's cause, whether they arrive before the takeover is seen or after it.
struct HistoryRecorderLogCauseTests {
    typealias F = HistoryFixtures
    typealias Step = HistoryFixtures.Step
    static let ts1 = F.at(-3600)

    /// Hands out queued lines per poll, as a tail would.
    final class QueuedFeed: BrokerLogFeed, @unchecked Sendable {
        private let lock = NSLock()
        private var queue: [[BrokerLogLines]]

        init(_ queue: [[BrokerLogLines]]) { self.queue = queue }

        func newLines(group: String) -> [BrokerLogLines] {
            lock.withLock { queue.isEmpty ? [] : queue.removeFirst() }
        }
    }

    static func stamp(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// b1's keep-alive lines after its lock file changed, at 0.6 s.
    static let b1GivesUp = BrokerLogLines(broker: "b1", lines: [
        "\(stamp(F.at(0.6))) | INFO  | Lock file /shared/lock, locked at X, has been modified at Y | org.apache.activemq.util.LockFile | ActiveMQ Lock KeepAlive Timer",
        "\(stamp(F.at(0.6))) | ERROR | b1, no longer able to keep the exclusive lock so giving up being a master | org.apache.activemq.broker.LockableServiceSupport | ActiveMQ Lock KeepAlive Timer",
        "\(stamp(F.at(0.61))) | INFO  | Apache ActiveMQ 5.17.2 (b1, ID:h-1-1-0:1) is shutting down | org.apache.activemq.broker.BrokerService | ActiveMQ Lock KeepAlive Timer",
    ])

    /// b1 gives up at 0.6 s and goes silent (a stock slave); b2 takes the lock at 1.5 s.
    static let giveUpThenTakeover: [Step] = [
        Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
        Step(seconds: 1, lock: .free(acquiredAt: ts1), brokers: [.silent(101), .silent(102), .silent(103)]),
        Step(seconds: 2, lock: .held(acquiredAt: F.at(1.5), pid: 102), brokers: [.silent(101), .master(102), .silent(103)]),
        Step(seconds: 3, lock: .held(acquiredAt: F.at(1.5), pid: 102), brokers: [.silent(101), .master(102), .silent(103)]),
    ]

    func feed(_ recorder: HistoryRecorder) async {
        let group = F.group()
        for step in Self.giveUpThenTakeover {
            let observation = F.observation(step)
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: F.at(step.seconds))
            await recorder.observe(observation, assessment: assessment, nowMillis: F.at(step.seconds))
        }
    }

    @Test(arguments: [0, 2, 3])
    func theOldMastersLogTellsTheCause(poll: Int) async throws {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        // The give-up lines come before the takeover is seen (0), with the poll that sees it (2), or after (3).
        var queue: [[BrokerLogLines]] = [[], [], [], []]
        queue[poll] = [Self.b1GivesUp]
        let recorder = HistoryRecorder(path: path, logFeed: QueuedFeed(queue))
        await feed(recorder)
        let recent = await recorder.recentFailovers(group: "orders", limit: 5)
        #expect(recent.count == 1, "\(recent)")
        let event = try #require(recent.first)
        #expect(event.fromBroker == "b1" && event.toBroker == "b2")
        #expect(event.cause == .lockLost)
        #expect(event.causeDetail == "b1 gave up the lock: its keep-alive saw the lock file change")
        #expect(event.source == .live)
    }

    @Test func withoutLogLinesTheCauseIsWhatThePollsSaw() async throws {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        let recorder = HistoryRecorder(path: path, logFeed: QueuedFeed([]))
        await feed(recorder)
        let event = try #require(await recorder.recentFailovers(group: "orders", limit: 5).first)
        #expect(event.cause != .lockLost && event.causeDetail == nil, "\(event)")
    }
}
