import Foundation

/// Waits for conditions with a deadline: tests never sleep a fixed time and hope.
enum Waiting {
    /// Polls `condition` every few milliseconds until it holds or `millis` pass; returns whether it held.
    static func until(millis: Int, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(millis))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    /// Runs `operation`, or gives up after `millis` with nil (the operation is cancelled).
    static func withDeadline<T: Sendable>(millis: Int, _ operation: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await operation() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(millis))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Milliseconds `operation` took, with its result.
    static func timed<T>(_ operation: () async throws -> T) async rethrows -> (T, Int64) {
        let start = ContinuousClock.now
        let value = try await operation()
        let elapsed = ContinuousClock.now - start
        return (value, elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
