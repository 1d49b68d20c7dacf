import Foundation
import Testing
@testable import AMQTopHistory

/// The history's SQLite work runs on its own thread, never on the cooperative pool.
struct HistoryThreadTests {
    /// An actor on a `HistoryThread`, as `HistoryRecorder` is, that says where its jobs run.
    actor OnHistoryThread {
        private nonisolated let thread = HistoryThread(name: "amqtop-hist-t")
        nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }
        private var order: [Int] = []

        func whereAmI() -> String? { HistoryThread.currentHistoryThread() }

        func append(_ value: Int) -> [Int] {
            order.append(value)
            return order
        }
    }

    @Test func jobsRunOnTheDedicatedThreadInOrder() async {
        let actor = OnHistoryThread()
        // The thread's own mark: the job ran there, not on the cooperative pool. (Not
        // `Thread.current.name`: Foundation on Linux sometimes answers a dispatch thread's
        // name on this very thread, 1 run in 15 here, while its thread dictionary is right.)
        let name = await actor.whereAmI()
        #expect(name == "amqtop-hist-t", "ran on \(name ?? "a thread that is not a history thread")")
        var last: [Int] = []
        for value in 1...100 { last = await actor.append(value) }
        #expect(last == Array(1...100))
    }

    @Test func theRecordersJobsRunOnTheHistoryThread() async throws {
        let recorder = HistoryRecorder(path: try HistoryTestSupport.temporaryDirectory() + "/history.sqlite")
        let name = await recorder.threadName()
        #expect(name == "amqtop-history", "ran on \(name ?? "a thread that is not a history thread")")
    }
}

extension HistoryRecorder {
    /// The name of the thread this actor's jobs run on.
    func threadName() -> String? { HistoryThread.currentHistoryThread() }
}
