import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one process does with a lock file right now, read from `/proc`: the soak's proof
/// that amqtop never opens it for writing and never holds a lock of any kind on it (its
/// locks on other files, SQLite's on the history database, are its own business).
///
/// `/proc/locks` names POSIX and flock holders by pid, but an OFD lock (`OFDLCK`) shows
/// pid -1 there; every lock also appears as a `lock:` line in the `fdinfo` of the
/// descriptor it belongs to, so both are looked at.
enum ProcessLockUse {
    /// Problems found for `pid` and the file `lock` (its inode and device), empty when none.
    ///
    /// `ownPids` are the processes allowed to lock the file (the master, a waiting slave):
    /// an OFD lock, which carries no pid, is a problem unless one of them could own it,
    /// and they take POSIX locks only, so any OFD lock on the file is reported.
    static func problems(pid: pid_t, lock: LockFileInspector.Snapshot, procLocks: String) -> [String] {
        var problems: [String] = []
        for descriptor in descriptors(of: pid, on: lock) {
            let info = (try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8)) ?? ""
            // The descriptor may have been closed and reused between the stat above and this
            // read (at a 10 ms lock poll the dashboard's read-only opens come and go, and NIO's
            // sockets, O_RDWR|O_NONBLOCK, take the freed numbers): fdinfo's own `ino:` says
            // which file these flags belong to. Seen once in a fresh-clone run: flags 4002.
            let inode = info.split(separator: "\n").first { $0.hasPrefix("ino:") }
                .flatMap { UInt64($0.dropFirst("ino:".count).trimmingCharacters(in: .whitespaces)) }
            if let inode, inode != lock.inode { continue }
            // `flags:` is octal; the low two bits are the access mode (O_RDONLY is 0).
            let flags = info.split(separator: "\n").first { $0.hasPrefix("flags:") }
                .flatMap { Int($0.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8) }
            if let flags, flags & Int(O_ACCMODE) != Int(O_RDONLY) {
                problems.append("pid \(pid) fd \(descriptor) on the lock file is open for writing (flags \(String(flags, radix: 8)))")
            }
            for line in info.split(separator: "\n") where line.hasPrefix("lock:") {
                problems.append("pid \(pid) fd \(descriptor) holds a lock on the lock file: \(line)")
            }
        }
        let wanted = String(format: "%02x:%02x:%llu", lock.deviceMajor, lock.deviceMinor, lock.inode)
        for line in procLocks.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            // Holders (`1: POSIX ADVISORY WRITE 8168 fe:00:1622 0 EOF`) and waiters (`1: -> POSIX ...`).
            let body = fields.count > 1 && fields[1] == "->" ? Array(fields.dropFirst(2)) : Array(fields.dropFirst())
            // Only the lock file's own: amqtop's history database (SQLite) takes its own locks.
            guard body.count >= 5, body[4].lowercased() == wanted else { continue }
            if pid_t(body[3]) == pid {
                problems.append("/proc/locks lists a lock of pid \(pid) on the lock file: \(line)")
            } else if body[0] == "OFDLCK" {
                problems.append("/proc/locks lists an OFD lock on the lock file (no pid; the brokers take POSIX locks): \(line)")
            }
        }
        return problems
    }

    /// The descriptors `pid` has open on the file, matched by device and inode (a path can be renamed).
    static func descriptors(of pid: pid_t, on lock: LockFileInspector.Snapshot) -> [Int] {
        let directory = "/proc/\(pid)/fd"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.compactMap { name -> Int? in
            var status = stat()
            // stat follows the magic link to the open file itself.
            guard let descriptor = Int(name), stat("\(directory)/\(name)", &status) == 0,
                UInt64(status.st_ino) == lock.inode
            else { return nil }
            // glibc's gnu_dev_major/minor, as in LockFileInspector (Swift cannot import the macros).
            let device = UInt64(status.st_dev)
            let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
            let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
            guard major == lock.deviceMajor, minor == lock.deviceMinor else { return nil }
            return descriptor
        }
    }
}
