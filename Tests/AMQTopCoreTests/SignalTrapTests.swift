import AMQTopCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The one signal helper: a trapped signal runs the handler instead of its default action.
@Suite(.serialized) struct SignalTrapTests {
    @Test func aTrappedSignalReachesTheHandlerAndDoesNotEndTheProcess() async {
        let arrivals = Arrivals()
        let trap = SignalTrap([SIGUSR2]) { arrivals.add($0) }
        defer { trap.cancel() }
        // libdispatch registers a source after `resume()` returns, on its own thread, and takes
        // process-directed signals (kill(1)), not a thread's raise(): send until it has one.
        // SIGUSR2's default action ends the process: were the trap not in place, the test run would die here.
        for _ in 0..<1_000_000 where arrivals.all.isEmpty {
            kill(getpid(), SIGUSR2)
            await Task.yield()
        }
        #expect(arrivals.all.first == SIGUSR2)
    }

    /// The signals a handler saw.
    final class Arrivals: @unchecked Sendable {
        // @unchecked: `numbers` is guarded by `lock`.
        private let lock = NSLock()
        private var numbers: [Int32] = []

        var all: [Int32] { lock.withLock { numbers } }

        func add(_ number: Int32) { lock.withLock { numbers.append(number) } }
    }

    @Test func aCancelledTrapStillKeepsTheSignalFromEndingTheProcess() {
        let trap = SignalTrap([SIGUSR1]) { _ in }
        trap.cancel()
        // Ignored from then on: a late signal during cleanup does nothing.
        kill(getpid(), SIGUSR1)
        #expect(Bool(true), "still running")
    }
}
