#if canImport(Glibc)
import Glibc
#endif

/// Counts who opens a lock file and catches any change to it, through inotify, without touching it.
///
/// An inotify watch is passive: it neither opens the file nor changes its times, so it can
/// sit on a real master's lock file. What it tells:
/// - `IN_CLOSE_NOWRITE`: a read-only descriptor was closed, i.e. one read-only look at the
///   file (amqtop's lock reader opens, reads and closes once per read). Counted with
///   `IN_OPEN` watched too, because inotify merges an event into the previous one when they
///   are identical and the previous one is still unread: alternating open/close events
///   keep back-to-back reads from collapsing into one.
/// - `IN_CLOSE_WRITE`: a descriptor opened for writing was closed. A waiting ActiveMQ slave
///   does this on every `tryLock` attempt (it opens the file `rw`, fails, closes it) without
///   writing a byte, so it is counted, not treated as a change.
/// - `IN_MODIFY`, `IN_ATTRIB`, `IN_DELETE_SELF`, `IN_MOVE_SELF`: the file's content, times,
///   mode or name changed: exactly what a keep-alive master would give up its lock over.
final class LockFileWatch {
    /// Read-only descriptors closed since the watch began.
    private(set) var readOnlyCloses = 0
    /// Writable descriptors closed since the watch began (a waiting slave's lock attempts).
    private(set) var writableCloses = 0
    /// Every event that means the file itself changed, described, in order.
    private(set) var changes: [String] = []
    /// True once the kernel's queue overflowed: the counts are then lower bounds.
    private(set) var overflowed = false

    private let descriptor: Int32
    private let path: String

    /// Starts watching `path`; the file must exist.
    init(path: String) throws {
        self.path = path
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw HarnessError.launch("inotify_init1: errno \(errno)")
        }
        let mask = UInt32(IN_OPEN | IN_CLOSE_NOWRITE | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(descriptor, path, mask) >= 0 else {
            let code = errno
            close(descriptor)
            throw HarnessError.launch("inotify_add_watch \(path): errno \(code)")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Reads every event queued so far and updates the counts; never blocks.
    ///
    /// Call it often enough that the kernel's queue (16384 events by default) cannot fill:
    /// a reader at 100 reads a second queues 200 events a second.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            // EAGAIN: the queue is empty.
            guard count > 0 else { return }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                // The header's fields, read byte-wise: the buffer gives no alignment guarantee.
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let nameLength = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) }
                record(mask)
                offset += header + Int(nameLength)
            }
        }
    }

    private func record(_ mask: UInt32) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
        if mask & UInt32(IN_CLOSE_NOWRITE) != 0 { readOnlyCloses += 1 }
        if mask & UInt32(IN_CLOSE_WRITE) != 0 { writableCloses += 1 }
        let alarms: [(Int32, String)] = [
            (IN_MODIFY, "modified"), (IN_ATTRIB, "attributes changed (touch, chmod, chown)"),
            (IN_DELETE_SELF, "deleted"), (IN_MOVE_SELF, "renamed"),
        ]
        for (bit, what) in alarms where mask & UInt32(bit) != 0 {
            changes.append("\(path) \(what)")
        }
    }
}
