import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Everything about the lock file an observer could disturb, read without disturbing it.
///
/// Complements ``LockFileInspector`` (which reads only the 8-byte timestamp and a
/// millisecond mtime): the whole content, the size, and mtime and ctime to the
/// nanosecond, so even a `touch` to the same millisecond or a `chmod` shows. Access time
/// is left out on purpose: reading the file may legitimately update it.
struct LockFileFingerprint: Sendable, Equatable, CustomStringConvertible {
    let content: [UInt8]
    let size: Int64
    let inode: UInt64
    let modificationSeconds: Int
    let modificationNanoseconds: Int
    let changeSeconds: Int
    let changeNanoseconds: Int

    var description: String {
        "size \(size), inode \(inode), mtime \(modificationSeconds).\(modificationNanoseconds), "
            + "ctime \(changeSeconds).\(changeNanoseconds), first bytes \(content.prefix(16).map { String(format: "%02x", $0) }.joined())"
    }

    /// Reads `path` through one `O_RDONLY` descriptor (no lock taken, so closing it releases nothing).
    static func read(_ path: String) throws -> LockFileFingerprint {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw HarnessError.unknownBroker("cannot open \(path): errno \(errno)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw HarnessError.unknownBroker("cannot fstat \(path): errno \(errno)")
        }
        var content = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = content.isEmpty ? 0 : pread(descriptor, &content, content.count, 0)
        guard count == content.count else {
            throw HarnessError.unknownBroker("\(path): read \(count) of \(content.count) bytes")
        }
        return LockFileFingerprint(
            content: content,
            size: Int64(status.st_size),
            inode: UInt64(status.st_ino),
            modificationSeconds: status.st_mtim.tv_sec,
            modificationNanoseconds: status.st_mtim.tv_nsec,
            changeSeconds: status.st_ctim.tv_sec,
            changeNanoseconds: status.st_ctim.tv_nsec
        )
    }
}
