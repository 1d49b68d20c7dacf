import AMQTopCore
import CSysShim
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// amqtop's own advisory lock on one group: one action (a stop, a drill) per group at a time, across processes.
///
/// One file per group in amqtop's state directory (`<state>/locks/<group>.lock`), locked with
/// `flock(2)` (`LOCK_EX | LOCK_NB`: held by the open file description, never waiting), so two dashboards, or a
/// dashboard and a drill, cannot stop brokers of one group at once. This file is amqtop's
/// and nobody else's: the broker's own lock file is never opened for writing, locked or
/// touched here (README, "amqtop never writes, locks, touches or renames a lock file").
///
/// The holder writes its pid into the file, so the refused one can say who holds it (`flock`
/// cannot tell). The file stays when released: unlinking it would
/// let a late-comer lock a new inode while someone still holds the old one. The kernel drops
/// the lock when the holder's descriptor closes, also when it dies.
public final class GroupActionLock: @unchecked Sendable {
    /// The group this lock is for.
    public let group: String
    /// The lock file.
    public let path: String
    /// Guards `descriptor` (`release()` may race `deinit`'s close on another thread otherwise).
    private let mutex = NSLock()
    private var descriptor: Int32

    /// Why a lock was not taken.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Another process holds it; its pid when it wrote one.
        case held(group: String, pid: Int32?, path: String)
        /// The lock file cannot be made or opened (the state directory is not writable, ...).
        case unavailable(group: String, path: String, reason: String)

        public var description: String {
            switch self {
            case .held(let group, let pid, let path):
                let who = pid.map { "pid \($0)" } ?? "another process"
                return "another amqtop action on group \(group) is under way (\(who) holds \(path)); wait for it to finish"
            case .unavailable(let group, let path, let reason):
                return "cannot take amqtop's action lock for group \(group) at \(path): \(reason)"
            }
        }
    }

    private init(group: String, path: String, descriptor: Int32) {
        self.group = group
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// `$XDG_STATE_HOME/amqtop/locks`: where the commands keep the groups' action locks.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateDirectory.path(environment: environment) + "/locks"
    }

    /// The lock file of `group` in `directory`: the name escaped so any group name is one plain file name.
    public static func path(group: String, directory: String) -> String {
        var name = ""
        for byte in group.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                name.append(Character(Unicode.Scalar(byte)))
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        return directory + "/" + (name.isEmpty ? "%" : name) + ".lock"
    }

    /// Takes the lock of `group` in `directory` (created 0700 when missing), or says who has it; never waits.
    public static func acquire(group: String, directory: String) throws(Failure) -> GroupActionLock {
        let path = path(group: group, directory: directory)
        if let problem = StateDirectory.create(directory) { throw .unavailable(group: group, path: path, reason: problem) }
        // O_NOFOLLOW and the regular-file check: a symlink or FIFO planted here is refused, never followed or waited on.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw .unavailable(group: group, path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .unavailable(group: group, path: path, reason: "not a regular file")
        }
        guard amqtop_flock_try_exclusive(fd) == 0 else {
            let code = errno
            let holder = readPid(fd)
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN { throw .held(group: group, pid: holder, path: path) }
            throw .unavailable(group: group, path: path, reason: "flock: \(String(cString: strerror(code)))")
        }
        // pwrite then ftruncate: a reader sees the old pid or the new one, and only the first line
        // counts. The pid is only for the refused one's message: when it cannot be written (a
        // full disk) the lock still holds, the file is emptied so no stale pid is named, and the
        // audit log's own write is what refuses the action.
        let line = Array("\(getpid())\n".utf8)
        if pwrite(fd, line, line.count, 0) == line.count {
            _ = ftruncate(fd, off_t(line.count))
        } else {
            _ = ftruncate(fd, 0)
        }
        return GroupActionLock(group: group, path: path, descriptor: fd)
    }

    /// Lets the lock go (closing its descriptor drops it); once is enough, later calls do nothing.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// The pid on the first line of the lock file, when there is a plausible one.
    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        guard let first = text.split(separator: "\n").first, let pid = Int32(first), pid > 0 else { return nil }
        return pid
    }
}
