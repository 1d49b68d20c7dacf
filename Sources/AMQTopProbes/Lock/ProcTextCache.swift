import Foundation

/// Keeps the parsed text of a `/proc` file for a short while, shared by every lock read.
///
/// A lock round reads every group's lock file within a few milliseconds; re-reading and
/// parsing the whole of `/proc/locks` and `/proc/self/mountinfo` for each of them was most
/// of amqtop's CPU with a hundred groups. Callers that find the cached copy disagreeing with
/// a fresh fact (F_GETLK naming a pid the copy lacks) ask again with `fresh: true`.
final class ProcTextCache<Value: Sendable>: @unchecked Sendable {
    private let path: String
    private let maxAgeNanos: UInt64
    private let parse: @Sendable (String) -> Value
    private let lock = NSLock()
    private var cached: (value: Value, at: UInt64)?

    init(path: String, maxAgeMillis: UInt64, parse: @escaping @Sendable (String) -> Value) {
        self.path = path
        self.maxAgeNanos = maxAgeMillis * 1_000_000
        self.parse = parse
    }

    /// The last parsed copy, however old; nil before the first successful read.
    ///
    /// For callers that check it against a fresh fact and ask `value(fresh: true)` when they disagree.
    func lastValue() -> Value? {
        lock.withLock { cached?.value }
    }

    /// The parsed file, from the cache when younger than the maximum age; nil when unreadable.
    func value(fresh: Bool = false) -> Value? {
        let now = DispatchTime.now().uptimeNanoseconds
        if !fresh, let hit = lock.withLock({ cached }), now &- hit.at < maxAgeNanos { return hit.value }
        guard let text = ProcFile.text(path) else { return nil }
        let value = parse(text)
        lock.withLock { cached = (value, now) }
        return value
    }
}
