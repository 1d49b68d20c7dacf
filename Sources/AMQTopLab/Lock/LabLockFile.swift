import CSysShim
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The shared `DIR/lock` file, locked exactly as ActiveMQ's KahaDB `LockFile` does: a POSIX
/// `fcntl` write lock (F_SETLK) on `[0, max(1, size))`, then the acquire time written as an
/// 8-byte big-endian millisecond count at offset 0 and fsynced.
///
/// Not thread-safe: one broker's lock loop owns it.
public final class LabLockFile {
    /// Path of the lock file.
    public let path: String
    private var descriptor: Int32 = -1
    private var lockedLength: off_t = 0
    /// The mtime (ms) seen right after writing the timestamp: the keep-alive compares against it.
    public private(set) var lastModifiedMillis: Int64?

    /// Prepares to lock `path`; nothing is opened until `tryLock`.
    public init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Tries once to take the lock. True when this process now holds it; false when
    /// another process does. Throws for any other failure (permissions, missing directory).
    public func tryLock() throws -> Bool {
        if descriptor < 0 {
            // O_RDWR|O_CREAT as RandomAccessFile(file, "rw") opens it.
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw LabError.system("open \(path)", errno) }
            descriptor = opened
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LabError.system("fstat \(path)", errno) }
        let length = max(1, info.st_size)
        if amqtop_lab_try_write_lock(descriptor, 0, length) == 0 {
            lockedLength = length
            return true
        }
        let code = errno
        if code == EAGAIN || code == EACCES { return false }
        throw LabError.system("fcntl(F_SETLK) \(path)", code)
    }

    /// Writes `millis` big-endian at offset 0, fsyncs, and remembers the resulting mtime.
    public func writeTimestamp(millis: Int64) throws {
        guard descriptor >= 0 else { throw LabError.notLocked(path) }
        var bigEndian = millis.bigEndian
        let written = withUnsafeBytes(of: &bigEndian) { pwrite(descriptor, $0.baseAddress, 8, 0) }
        guard written == 8 else { throw LabError.system("pwrite \(path)", errno) }
        guard fsync(descriptor) == 0 else { throw LabError.system("fsync \(path)", errno) }
        lastModifiedMillis = try LabLockFile.modificationMillis(path: path)
    }

    /// The keep-alive check of ActiveMQ's `LockFile.keepAlive`: we still hold our lock, and the
    /// file still exists with the mtime we saw after writing. Returns why not, or nil if fine.
    public func keepAliveFailure() -> String? {
        guard descriptor >= 0, lockedLength > 0, let expected = lastModifiedMillis else {
            return "the lock is not held"
        }
        guard let current = try? LabLockFile.modificationMillis(path: path) else {
            return "Lock file \(path) does not exist"
        }
        if current != expected {
            return "Lock file \(path), locked at \(expected), has been modified at \(current)"
        }
        return nil
    }

    /// Releases the lock and closes the file.
    public func unlock() {
        guard descriptor >= 0 else { return }
        _ = amqtop_lab_unlock(descriptor, 0, lockedLength)
        close(descriptor)
        descriptor = -1
        lockedLength = 0
    }

    /// The file's mtime in whole milliseconds (Java's `File.lastModified`), by path so a
    /// replaced or deleted file is noticed.
    public static func modificationMillis(path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LabError.system("stat \(path)", errno) }
        return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    /// The first 8 bytes of the file as a big-endian millisecond timestamp, read without
    /// locking or writing (as an observer must).
    public static func readTimestamp(path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 8), data.count == 8 else { return nil }
        return data.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }
}
