import Foundation

/// The loop's input queue: bounded for measurements, never for what the operator did.
///
/// Probe results can arrive faster than a stalled loop (a slow terminal, a stopped
/// process) takes them; queued without bound they would grow memory. When `capacity`
/// inputs wait, a new measurement replaces the queued one it supersedes (the same lock or
/// broker), else the oldest queued measurement, else it is dropped itself; keys, signals
/// and stop outcomes are always queued, even past the capacity. One consumer (the loop) calls `next()`.
public final class InputQueue: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var items: [LoopInput] = []
    private var head = 0
    private var waiter: CheckedContinuation<LoopInput?, Never>?
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
    public func push(_ input: LoopInput) {
        lock.lock()
        if finished {
            lock.unlock()
            return
        }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: input)
            return
        }
        if items.count - head >= capacity, let key = input.measurementKey, !makeRoom(for: key) {
            // Only inputs that are never dropped wait: this measurement is the one to go.
            dropped += 1
            lock.unlock()
            return
        }
        items.append(input)
        lock.unlock()
    }

    /// The next input, waiting for one; nil once finished and drained.
    public func next() async -> LoopInput? {
        await withCheckedContinuation { (continuation: CheckedContinuation<LoopInput?, Never>) in
            lock.lock()
            if head < items.count {
                let input = items[head]
                head += 1
                // Compact now and then, so a long run does not keep every input ever queued.
                if head > 1024, head * 2 > items.count {
                    items.removeFirst(head)
                    head = 0
                }
                lock.unlock()
                continuation.resume(returning: input)
            } else if finished {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }

    /// Ends the queue: what is queued is still taken, then `next()` returns nil.
    public func finish() {
        let waiting: CheckedContinuation<LoopInput?, Never>? = lock.withLock {
            finished = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: nil)
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
