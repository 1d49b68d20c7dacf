import Foundation

/// Counts the inputs the loop has handled, so a test can wait for it to catch up instead of sleeping.
///
/// The loop calls `handled()` after each input and its effects; `wait(forHandled:)` returns
/// once that many were handled. Cheap enough to leave in the product (one lock per input).
public final class LoopProgress: @unchecked Sendable {
    // @unchecked: both properties are guarded by `lock`.
    private let lock = NSLock()
    private var count = 0
    private var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init() {}

    /// How many inputs the loop has handled.
    public var handledCount: Int { lock.withLock { count } }

    /// Counts `inputs` more handled inputs (a burst's) and wakes whoever waited for them.
    func handled(_ inputs: Int = 1) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            count += inputs
            let ready = waiters.filter { $0.target <= count }.map(\.continuation)
            waiters.removeAll { $0.target <= count }
            return ready
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once at least `target` inputs were handled.
    public func wait(forHandled target: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if count >= target { return true }
                waiters.append((target, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
