import AMQTopCore
import Foundation

/// Why a file must never be opened as the history: it is a configured group's lock file, or
/// it is no SQLite database while some process holds a lock on it.
///
/// Opening a history is not harmless to the file: SQLite opens it read-write, takes POSIX
/// locks on it (and closing them can drop a lock the same process holds), writes a header
/// into an empty one, and a dashboard renames an unreadable history aside. On a broker's lock
/// file any of these would change what its keep-alive master checks, or take the lock away
/// from it. A running master's lock file is exactly "not a database, and locked by another
/// process", so that is refused whether or not any configuration names it.
///
/// The only calls made on the file are `stat`, `open(O_RDONLY | O_NONBLOCK)`, `fstat`,
/// `pread` of 16 bytes and `fcntl(F_OFD_GETLK)`, which tests for a lock and takes none.
public struct HistoryFileGuard: Sendable, Equatable {
    /// A lock file a configured group's brokers take.
    public struct LockFile: Sendable, Equatable {
        public var group: String
        public var path: String

        public init(group: String, path: String) {
            self.group = group
            self.path = path
        }
    }

    /// The lock files of this machine's groups (a group on other hosts has its lock there).
    public var lockFiles: [LockFile]

    public init(lockFiles: [LockFile] = []) {
        self.lockFiles = lockFiles
    }

    /// The lock files of the configuration's local groups; none without a configuration.
    public init(config: AppConfig?) {
        self.init(lockFiles: (config?.groups ?? []).compactMap { group in
            guard group.hostNames.isEmpty, let lockFile = group.lockFile else { return nil }
            return LockFile(group: group.name, path: lockFile)
        })
    }

    /// Every SQLite 3 database file starts with these 16 bytes.
    static let sqliteHeader = Array("SQLite format 3\0".utf8)
    /// `F_OFD_GETLK` (Linux 3.15): Glibc's Swift module leaves it out. Unlike `F_GETLK`, it
    /// also reports the POSIX locks of this very process.
    static let ofdGetLock: Int32 = 36

    /// Why `path` must not be the history, in words that name the file and what holds it; nil when it may be.
    public func problem(path: String) -> String? {
        var info = stat()
        let exists = stat(path, &info) == 0
        let standardized = (path as NSString).standardizingPath
        for lock in lockFiles {
            var lockInfo = stat()
            let samePath = standardized == (lock.path as NSString).standardizingPath
            let sameFile = exists && stat(lock.path, &lockInfo) == 0 && lockInfo.st_dev == info.st_dev && lockInfo.st_ino == info.st_ino
            if samePath || sameFile {
                let via = samePath ? "" : " (the same file by another name)"
                return "it is group \(lock.group)'s lock file \(lock.path)\(via); amqtop never writes, locks or renames a broker's lock file; choose another history path"
            }
        }
        guard exists, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Self.lockedForeignFile(path: path)
    }

    /// The refusal for a regular file that is not an SQLite database and that another process holds a lock on.
    static func lockedForeignFile(path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        // Unopenable: SQLite will fail on it too, and say so; nothing is written either way.
        guard fd >= 0 else { return nil }
        // This process never holds a lock on such a file, so closing releases nothing.
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: sqliteHeader.count)
        let count = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        if count == sqliteHeader.count, header == sqliteHeader { return nil }
        guard let holder = lockHolder(fd: fd) else { return nil }
        let what = count == 0 ? "an empty file, not an SQLite database," : "not an SQLite database"
        return "it is \(what) and \(holder) holds a lock on it (a running broker's lock file looks like this); "
            + "amqtop never writes, locks or renames such a file; choose another history path"
    }

    /// The bytes a lock is looked for in: [0, 1 GiB). A broker locks from byte 0 (Java's
    /// `tryLock(0, max(1, size))`), and SQLite only ever locks bytes from 1 GiB on (its
    /// pending byte), so a dashboard creating a new history is not taken for a broker.
    static let lockedRangeBytes: off_t = 0x4000_0000

    /// Who holds a lock on the file's first gibibyte ("process 1234", "another process"), or nil when nobody does.
    static func lockHolder(fd: Int32) -> String? {
        // A write-lock query over the range conflicts with any lock on it; the call only tests.
        func writeLockQuery() -> flock {
            var query = flock()
            query.l_type = Int16(F_WRLCK)
            query.l_whence = Int16(SEEK_SET)
            query.l_start = 0
            query.l_len = lockedRangeBytes
            query.l_pid = 0
            return query
        }
        var query = writeLockQuery()
        if fcntl(fd, ofdGetLock, &query) != 0 {
            // An old kernel: F_GETLK sees other processes' POSIX locks, which is what a broker takes.
            query = writeLockQuery()
            guard fcntl(fd, F_GETLK, &query) == 0 else {
                // Cannot tell: treat it as held, so a lock file is never written by mistake.
                return "an unknown process (the lock test failed: \(String(cString: strerror(errno))))"
            }
        }
        guard query.l_type != Int16(F_UNLCK) else { return nil }
        return query.l_pid > 0 ? "process \(query.l_pid)" : "another process"
    }
}
