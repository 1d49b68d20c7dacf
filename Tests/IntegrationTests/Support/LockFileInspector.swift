import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads KahaDB's lock file the way an observer must: read-only, never locking it.
///
/// This is the tests' own oracle, independent of the product's lock reader, so the two
/// can be checked against each other.
enum LockFileInspector {
    /// What the lock file says at one instant.
    struct Snapshot: Sendable, Equatable {
        /// First 8 bytes, big-endian: when the current master took the lock (ms since epoch).
        let timestampMillis: Int64
        /// The file's mtime in milliseconds since the epoch.
        let modificationMillis: Int64
        /// Inode and device, to match `/proc/locks` lines.
        let inode: UInt64
        let deviceMajor: UInt64
        let deviceMinor: UInt64
    }

    /// Reads the timestamp and `fstat`s the same descriptor.
    ///
    /// Opening and closing a read-only descriptor is harmless to the master: POSIX locks
    /// released on close are only the closing process's own, and this process holds none.
    static func snapshot(_ path: String) throws -> Snapshot {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw HarnessError.unknownBroker("cannot open \(path): errno \(errno)")
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 8)
        let count = pread(descriptor, &bytes, 8, 0)
        guard count == 8 else {
            throw HarnessError.unknownBroker("\(path) holds \(count) bytes, not an 8-byte timestamp")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw HarnessError.unknownBroker("cannot fstat \(path): errno \(errno)")
        }
        let timestamp = bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        let device = UInt64(status.st_dev)
        return Snapshot(
            timestampMillis: Int64(bitPattern: timestamp),
            modificationMillis: Int64(status.st_mtim.tv_sec) * 1000 + Int64(status.st_mtim.tv_nsec) / 1_000_000,
            inode: UInt64(status.st_ino),
            // glibc's gnu_dev_major/minor, which Swift cannot import as macros.
            deviceMajor: ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff)),
            deviceMinor: (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        )
    }

    /// Pids holding a POSIX WRITE lock on the file in `snapshot`, from `/proc/locks`.
    ///
    /// Lines look like `3: POSIX  ADVISORY  WRITE 8168 fe:00:16220561 0 7`; lines of
    /// blocked waiters (`3: -> POSIX ...`) are not holders and are skipped.
    static func posixWriteLockHolders(of snapshot: Snapshot) throws -> [pid_t] {
        let text = try procLocks()
        let wanted = String(format: "%02x:%02x:%llu", snapshot.deviceMajor, snapshot.deviceMinor, snapshot.inode)
        return text.split(separator: "\n").compactMap { line -> pid_t? in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 6, fields[1] == "POSIX", fields[3] == "WRITE",
                fields[5].lowercased() == wanted
            else { return nil }
            return pid_t(fields[4])
        }
    }

    /// The whole of `/proc/locks`, read to EOF (procfs reports a size of 0).
    static func procLocks() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/locks") else {
            throw HarnessError.unknownBroker("cannot open /proc/locks")
        }
        defer { try? handle.close() }
        let data = try handle.readToEnd() ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
