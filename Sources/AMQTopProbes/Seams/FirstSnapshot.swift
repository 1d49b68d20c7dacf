import AMQTopCore
import Foundation

/// Resumes a waiter with the first snapshot offered and ignores the rest, from any thread.
final class FirstSnapshot: @unchecked Sendable {
    // @unchecked: both properties are guarded by `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<LockFileSnapshot?, Never>?
    private var done = false

    func setContinuation(_ continuation: CheckedContinuation<LockFileSnapshot?, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Resumes the waiter the first time; later calls do nothing.
    func resume(_ snapshot: LockFileSnapshot?) {
        let waiter: CheckedContinuation<LockFileSnapshot?, Never>? = lock.withLock {
            guard !done, let continuation else { return nil }
            done = true
            self.continuation = nil
            return continuation
        }
        waiter?.resume(returning: snapshot)
    }
}
