import AMQTopCore
import Foundation

/// Reads lock files on this host, off the cooperative pool, each read bounded by a deadline.
///
/// The local `LockReading`: right for a group whose store this host mounts.
public struct LockFileProbe: LockReading {
    private let readFile: @Sendable (String) -> LockFileSnapshot
    private let executor: BlockingExecutor
    private let timeoutMillis: Int64
    /// Stamps the snapshots of reads that timed out.
    private let clock: any AppClock

    public init(
        reader: LockFileReader? = nil, executor: BlockingExecutor = BlockingExecutor(), timeoutMillis: Int64,
        clock: any AppClock = SystemClock()
    ) {
        let reader = reader ?? LockFileReader(clock: clock)
        self.init(executor: executor, timeoutMillis: timeoutMillis, clock: clock) { reader.read(path: $0) }
    }

    /// A probe over any read function (tests use one that blocks like a hung mount).
    init(
        executor: BlockingExecutor = BlockingExecutor(), timeoutMillis: Int64, clock: any AppClock = SystemClock(),
        read: @escaping @Sendable (String) -> LockFileSnapshot
    ) {
        self.readFile = read
        self.executor = executor
        self.timeoutMillis = timeoutMillis
        self.clock = clock
    }

    public func readLocks(
        of groups: [GroupConfig], deliver: @escaping @Sendable (String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        await readBatch(groups.compactMap { group in group.lockFile.map { (group.name, $0) } }, deliver: deliver)
    }

    public func readLock(of group: GroupConfig) async -> LockFileSnapshot? {
        guard let path = group.lockFile else { return nil }
        return await read(path: path)
    }

    /// A snapshot of the file, or an `.error` snapshot when the filesystem did not answer in time.
    public func read(path: String) async -> LockFileSnapshot {
        let readFile = readFile
        let timeout = timeoutMillis
        let clock = clock
        return await executor.run(timeoutMillis: timeout, onTimeout: { Self.timedOut(path: path, afterMillis: timeout, clock: clock) }) {
            readFile(path)
        }
    }

    /// Reads several files one after another in a single blocking job, handing each snapshot
    /// to `deliver` as soon as it is read; a file not read by the deadline is delivered as timed
    /// out instead (and its late result dropped). Returns, with what was really read, only when
    /// the job has finished, so a caller never starts a second read of a file still stuck.
    ///
    /// One job per round instead of one per file: with a hundred lock files polled four times
    /// a second, the thread hand-offs and a deadline timer per read cost more than the reads.
    /// Pass files of one filesystem together: when it hangs, they hang alike anyway, while a
    /// file on another filesystem in the same batch would wait behind them.
    public func readBatch(
        _ files: [(key: String, path: String)], deliver: @escaping @Sendable (String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        guard !files.isEmpty else { return [:] }
        let ledger = DeliveryLedger(capacity: files.count)
        let timeout = timeoutMillis
        let readFile = readFile
        let clock = clock
        let watchdog = executor.after(millis: timeout) {
            for (key, path) in files where ledger.claim(key) {
                deliver(key, Self.timedOut(path: path, afterMillis: timeout, clock: clock))
            }
        }
        let read = await executor.runToCompletion {
            var read: [String: LockFileSnapshot] = [:]
            // Sized once: growing it read by read was a visible share of a hundred-file round.
            read.reserveCapacity(files.count)
            for (key, path) in files {
                let snapshot = readFile(path)
                read[key] = snapshot
                if ledger.claim(key) { deliver(key, snapshot) }
            }
            return read
        }
        watchdog.cancel()
        return read
    }

    private static func timedOut(path: String, afterMillis timeout: Int64, clock: any AppClock) -> LockFileSnapshot {
        LockFileSnapshot(
            path: path, atMillis: clock.nowMillis(),
            state: .error("no answer within \(timeout) ms (hung filesystem?)"),
            holder: .unknown("filesystem not answering"))
    }
}

/// Which keys of a batch have been delivered, so each is delivered exactly once.
private final class DeliveryLedger: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var delivered: Set<String> = []

    init(capacity: Int) {
        delivered.reserveCapacity(capacity)
    }

    /// True the first time `key` is claimed, false after.
    func claim(_ key: String) -> Bool {
        lock.withLock { delivered.insert(key).inserted }
    }
}
