import Foundation

/// Runs blocking system calls on GCD threads with a deadline, away from Swift's cooperative pool.
///
/// A read of a lock file on a hung NFS mount can block in the kernel for minutes. Doing it on
/// the cooperative pool (two threads on a 2-core machine) would stall every other probe, so
/// such calls go to a concurrent dispatch queue, and the caller gets an answer by the deadline
/// even when the call itself is still stuck (it then finishes in the background, unobserved).
public final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    public init(label: String = "amqtop.blocking-probes") {
        queue = DispatchQueue(label: label, qos: .utility, attributes: .concurrent)
    }

    /// Runs `work` off the cooperative pool; returns its result, or `onTimeout()` after `timeoutMillis`.
    public func run<T: Sendable>(
        timeoutMillis: Int64,
        onTimeout: @escaping @Sendable () -> T,
        _ work: @escaping @Sendable () -> T
    ) async -> T {
        let once = ResumeOnce<T>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            once.install(continuation)
            queue.async { once.resume(with: work()) }
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(Int(max(1, timeoutMillis)))) {
                once.resume(with: onTimeout())
            }
        }
    }

    /// Runs `work` off the cooperative pool and waits for it however long it takes.
    ///
    /// For callers that report a deadline themselves (see `LockFileProbe.readBatch`) and must
    /// know when the blocked call has really returned, so they do not start it again meanwhile.
    public func runToCompletion<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Calls `block` after `millis` unless the returned item is cancelled first.
    public func after(millis: Int64, _ block: @escaping @Sendable () -> Void) -> DispatchWorkItem {
        let item = DispatchWorkItem(block: block)
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(Int(max(1, millis))), execute: item)
        return item
    }
}

/// Resumes a continuation exactly once, whichever of work and timer finishes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    func install(_ continuation: CheckedContinuation<T, Never>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func resume(with value: T) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}
