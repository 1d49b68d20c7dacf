import Foundation

/// A list that fakes append to and tests wait on, instead of sleeping until something happened.
final class Recorder<Item: Sendable>: @unchecked Sendable {
    // @unchecked: both properties are guarded by `lock`.
    private let lock = NSLock()
    private var items: [Item] = []
    private var waiters: [Waiter] = []
    private var nextID = 0

    private struct Waiter {
        var id: Int
        var condition: @Sendable ([Item]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    /// Everything recorded so far, oldest first.
    var all: [Item] { lock.withLock { items } }

    func append(_ item: Item) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            items.append(item)
            let snapshot = items
            let ready = waiters.filter { $0.condition(snapshot) }
            waiters.removeAll { $0.condition(snapshot) }
            return ready.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once what was recorded satisfies `condition`, or when cancelled (the suites' time
    /// limit cancels a wait that would never end, and the test's expectations then fail).
    func wait(until condition: @escaping @Sendable ([Item]) -> Bool) async {
        let id: Int = lock.withLock {
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock {
                    if condition(items) || Task.isCancelled { return true }
                    waiters.append(Waiter(id: id, condition: condition, continuation: continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let cancelled: Waiter? = lock.withLock {
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index)
            }
            cancelled?.continuation.resume()
        }
    }

    /// Returns once at least `count` items were recorded.
    func wait(forCount count: Int) async {
        await wait { $0.count >= count }
    }
}
