import AMQTopCore
import Foundation

/// Remembers for a few seconds which filesystem each lock path is on.
///
/// Finding it costs a `realpath` (one `readlink` per path component) and a mount-table
/// lookup. Done on every read, a hundred groups polled four times a second made two thousand
/// `readlink` calls a second. The mount table is kept as long (5 s), so a remount or a
/// re-pointed symlink shows about as soon either way. Failures are not remembered: a
/// directory that reappears is looked at again on the next read.
final class FilesystemCache: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var entries: [String: (info: FilesystemInfo, at: UInt64)] = [:]
    private let maxAgeNanos: UInt64

    init(maxAgeMillis: UInt64) {
        maxAgeNanos = maxAgeMillis * 1_000_000
    }

    /// The remembered filesystem of `target`, or `resolve()`'s answer (remembered when not nil).
    func info(for target: String, resolve: () -> FilesystemInfo?) -> FilesystemInfo? {
        let now = DispatchTime.now().uptimeNanoseconds
        if let hit = lock.withLock({ entries[target] }), now &- hit.at < maxAgeNanos { return hit.info }
        guard let info = resolve() else { return nil }
        lock.withLock {
            // Paths come from the configuration, so this stays small; the bound is only a guard.
            if entries.count >= 4096 { entries.removeAll() }
            entries[target] = (info, now)
        }
        return info
    }
}
