/// Runs `work` with a deadline: whichever ends first, the work or the timer, gives the result,
/// and the other is cancelled (an HTTP request through a forward stops at once when cancelled).
enum FirstToFinish {
    static func run<T: Sendable>(
        millis: Int64, onTimeout: @escaping @Sendable () -> T, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        await withTaskGroup(of: T.self) { tasks in
            tasks.addTask { await work() }
            tasks.addTask {
                try? await Task.sleep(nanoseconds: UInt64(max(1, millis)) * 1_000_000)
                return onTimeout()
            }
            let first = await tasks.next() ?? onTimeout()
            tasks.cancelAll()
            return first
        }
    }
}
