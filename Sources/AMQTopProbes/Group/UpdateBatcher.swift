import NIOConcurrencyHelpers
import NIOCore

/// Hands probe results to the `Poller`'s stream in bursts: one stream element per burst.
///
/// Each element yielded to a waiting consumer wakes its thread, and with hundreds of brokers
/// a second those wake-ups (the consumer's, and the history writer's behind it) cost more
/// than the polls themselves. A result waits here at most `delay`, then goes out with the
/// others that arrived meanwhile as ONE array, so each consumer (the dashboard loop, the
/// history, serve's counters) handles a whole burst per wake-up. The delay is far below the
/// dashboard's frame coalescing (40 ms), so nothing is shown later than before.
///
/// Results may come from any thread (broker polls on the probes' event loop, lock reads on
/// their blocking threads); a burst keeps the order they were added in, and bursts go out
/// in order, because taking the pending results and yielding them happen under one lock.
final class UpdateBatcher: Sendable {
    private struct Pending {
        var updates: [PollUpdate] = []
        var flushScheduled = false
    }

    private let eventLoop: any EventLoop
    private let continuation: AsyncStream<[PollUpdate]>.Continuation
    private let pending = NIOLockedValueBox(Pending())

    /// How long the first result of a burst waits for the others.
    static let delay = TimeAmount.milliseconds(10)

    /// A batcher yielding to `continuation`, its timer on `eventLoop`.
    init(eventLoop: any EventLoop, continuation: AsyncStream<[PollUpdate]>.Continuation) {
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Queues `update` for the next burst (from any thread).
    func add(_ update: PollUpdate) {
        let schedule = pending.withLockedValue { pending in
            pending.updates.append(update)
            defer { pending.flushScheduled = true }
            return !pending.flushScheduled
        }
        // The first result of a burst starts its timer; the others only append.
        if schedule { eventLoop.scheduleTask(in: Self.delay) { self.flush() } }
    }

    /// Sends every queued update now as one burst, with `after` at its end if given (a
    /// round's end after its results); sends nothing when there is nothing to send.
    func flush(then after: PollUpdate? = nil) {
        pending.withLockedValue { pending in
            var burst = pending.updates
            pending.updates = []
            pending.flushScheduled = false
            if let after { burst.append(after) }
            // Yielded under the lock: a burst taken later can never overtake this one.
            if !burst.isEmpty { continuation.yield(burst) }
        }
    }
}
