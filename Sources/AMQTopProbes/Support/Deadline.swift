/// Races an async operation against a deadline, so no probe can outlive its time budget.
enum Deadline {
    /// Runs `operation`; if it has not finished after `millis`, cancels it and returns `onTimeout()`.
    ///
    /// The operation is expected to honour cancellation promptly (async-http-client and NIO
    /// do), so a hung peer never holds the caller past the deadline.
    static func run<T: Sendable>(
        millis: Int64,
        onTimeout: @escaping @Sendable () -> T,
        _ operation: @escaping @Sendable () async -> T
    ) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await operation() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(max(1, millis)))
                return Task.isCancelled ? nil : onTimeout()
            }
            var answer: T?
            while answer == nil, let next = await group.next() {
                answer = next
            }
            group.cancelAll()
            return answer ?? onTimeout()
        }
    }
}
