import Foundation

/// A clock that moves only when told to, for tests of the loop, the poller and drills.
///
/// Shipped as a real type (like swift-log's in-memory handler) so every test target uses
/// the same one. `advance(byMillis:)` wakes every sleeper whose deadline has come, in
/// deadline order; a cancelled sleeper wakes at once with `CancellationError`.
public final class ManualClock: AppClock, @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64
    private var offset: Int
    private var sleepers: [Sleeper] = []
    private var nextID = 0

    private struct Sleeper {
        var id: Int
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// A clock standing at `startMillis`, in a zone `utcOffsetSeconds` east of UTC.
    public init(startMillis: Int64 = 1_780_000_000_000, utcOffsetSeconds: Int = 0) {
        now = startMillis
        offset = utcOffsetSeconds
    }

    public func nowMillis() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }

    public func utcOffsetSeconds(atMillis millis: Int64) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return offset
    }

    /// Changes the zone offset, as a DST change would.
    public func setUTCOffset(seconds: Int) {
        lock.lock()
        offset = seconds
        lock.unlock()
    }

    /// How many tasks are sleeping on this clock now (tests wait for the loop to settle on it).
    public var sleeperCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return sleepers.count
    }

    /// The earliest deadline anybody sleeps until, if any.
    public var nextDeadline: Int64? {
        lock.lock()
        defer { lock.unlock() }
        return sleepers.map(\.deadline).min()
    }

    public func sleep(untilMillis deadlineMillis: Int64) async throws {
        let id: Int = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else if deadlineMillis <= now {
                    lock.unlock()
                    continuation.resume()
                } else {
                    sleepers.append(Sleeper(id: id, deadline: deadlineMillis, continuation: continuation))
                    lock.unlock()
                }
            }
        } onCancel: {
            let cancelled: Sleeper? = lock.withLock {
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers whose deadlines have come, earliest first.
    public func advance(byMillis millis: Int64) {
        let due: [Sleeper] = lock.withLock {
            now += max(0, millis)
            let ready = sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            sleepers.removeAll { $0.deadline <= now }
            return ready
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Sets the time (forward only) and wakes whoever is due.
    public func advance(toMillis millis: Int64) {
        advance(byMillis: millis - nowMillis())
    }
}
