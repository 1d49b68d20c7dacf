import Foundation

/// The loop's input queue: bounded for measurements, never for what the operator did.
///
/// Probe results can arrive faster than a stalled loop (a slow terminal, a stopped
/// process) takes them; queued without bound they would grow memory. When `capacity`
/// inputs wait, a new measurement replaces the queued one it supersedes (the same lock or
/// broker), else the oldest queued measurement, else it is dropped itself; keys, signals
/// and stop outcomes are always queued, even past the capacity. One consumer (the loop) calls
/// `next()` or `nextBurst(limit:)`; a producer with many inputs at once (a burst of probe
/// results) queues them with `push(contentsOf:)`, one lock and at most one wake-up for all.
public final class InputQueue: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var items: [LoopInput] = []
    private var head = 0
    /// The waiting consumer and how many inputs it takes at most.
    private var waiter: (continuation: CheckedContinuation<[LoopInput]?, Never>, limit: Int)?
    private var finished = false
    private var dropped = 0

    /// How many inputs may wait before measurements are dropped.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// How many measurements were dropped so far (superseded by newer ones).
    public var droppedMeasurements: Int { lock.withLock { dropped } }

    /// How many inputs wait now.
    public var count: Int { lock.withLock { items.count - head } }

    /// Queues `input`, or hands it straight to a waiting `next()`; never blocks.
    public func push(_ input: LoopInput) { push(contentsOf: [input]) }

    /// Queues `inputs` in order (each subject to the capacity, as one `push` would be), then
    /// wakes a waiting consumer once for all of them; never blocks.
    public func push(contentsOf inputs: [LoopInput]) {
        guard !inputs.isEmpty else { return }
        lock.lock()
        if finished {
            lock.unlock()
            return
        }
        for input in inputs {
            if items.count - head >= capacity, let key = input.measurementKey, !makeRoom(for: key) {
                // Only inputs that are never dropped wait: this measurement is the one to go.
                dropped += 1
                continue
            }
            items.append(input)
        }
        guard let waiter, head < items.count else {
            lock.unlock()
            return
        }
        self.waiter = nil
        let taken = take(limit: waiter.limit)
        lock.unlock()
        waiter.continuation.resume(returning: taken)
    }

    /// The next input, waiting for one; nil once finished and drained.
    public func next() async -> LoopInput? {
        await nextBurst(limit: 1)?.first
    }

    /// Every input waiting now, up to `limit`, in order, waiting for at least one; nil once finished and drained.
    ///
    /// The loop takes what piled up while it worked in one go, and so draws once for all of it.
    public func nextBurst(limit: Int) async -> [LoopInput]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[LoopInput]?, Never>) in
            lock.lock()
            if head < items.count {
                let taken = take(limit: limit)
                lock.unlock()
                continuation.resume(returning: taken)
            } else if finished {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiter = (continuation, max(1, limit))
                lock.unlock()
            }
        }
    }

    /// Takes up to `limit` queued inputs from the head; called with `lock` held and something queued.
    private func take(limit: Int) -> [LoopInput] {
        let end = head + min(max(1, limit), items.count - head)
        let taken = Array(items[head..<end])
        head = end
        // Compact now and then, so a long run does not keep every input ever queued.
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return taken
    }

    /// Ends the queue: what is queued is still taken, then `next()` returns nil.
    public func finish() {
        let waiting = lock.withLock {
            finished = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.continuation.resume(returning: nil)
    }

    /// Removes the queued measurement `key` supersedes, else the oldest measurement; false when none is queued.
    ///
    /// Called with `lock` held, only when the queue is full, so the scans cost nothing in normal running.
    private func makeRoom(for key: LoopInput.MeasurementKey) -> Bool {
        let waiting = head..<items.count
        let victim = waiting.first { items[$0].measurementKey == key } ?? waiting.first { items[$0].measurementKey != nil }
        guard let victim else { return false }
        items.remove(at: victim)
        dropped += 1
        return true
    }
}
