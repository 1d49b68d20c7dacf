import NIOCore

/// Hands broker results to the `Poller`'s stream in bursts instead of one at a time.
///
/// Each result yielded to a waiting consumer wakes its thread, and with hundreds of brokers a
/// second those wake-ups (the consumer's, and the history writer's behind it) cost more than
/// the polls themselves. Results that finish on the probes' event loop wait here at most
/// `delay`, then go out together, so the consumer takes many per wake-up. The delay is far
/// below the dashboard's frame coalescing (40 ms), so nothing is shown later than before.
/// Touched on `eventLoop` only.
final class UpdateBatcher: @unchecked Sendable {
    private let eventLoop: any EventLoop
    private let continuation: AsyncStream<PollUpdate>.Continuation
    private var pending: [PollUpdate] = []
    private var flushScheduled = false

    /// How long the first result of a burst waits for the others.
    static let delay = TimeAmount.milliseconds(10)

    init(eventLoop: any EventLoop, continuation: AsyncStream<PollUpdate>.Continuation) {
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Queues `update` for the next burst (from any thread).
    func add(_ update: PollUpdate) {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.add(update) }
            return
        }
        pending.append(update)
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.assumeIsolated().scheduleTask(in: Self.delay) { self.flush() }
    }

    /// Sends every queued update now, then `after` if given (a round's end after its results).
    func flush(then after: PollUpdate? = nil) {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.flush(then: after) }
            return
        }
        flushScheduled = false
        let burst = pending
        pending.removeAll(keepingCapacity: true)
        for update in burst { continuation.yield(update) }
        if let after { continuation.yield(after) }
    }
}
