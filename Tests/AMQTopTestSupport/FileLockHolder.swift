import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Another process holding a POSIX write lock on a file the way a broker does: Java's
/// `FileChannel.tryLock(0, max(1, size))` is `fcntl(F_SETLK, F_WRLCK)` over `[0, size)`, and so
/// is Python's `fcntl.lockf(fd, LOCK_EX | LOCK_NB, size)`.
public final class FileLockHolder: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    public var pid: Int32 { process.processIdentifier }

    /// Starts python3, which opens `path` read-write (it must exist), locks `[0, max(1, size))` and waits on stdin.
    public init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = """
            import fcntl, os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, max(1, os.fstat(fd).st_size), 0, os.SEEK_SET)
            sys.stdin.read()
            """
        process.arguments = ["python3", "-c", script, path]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until /proc/locks lists the helper's lock (its pid); false if not within `seconds`.
    public func waitUntilLocked(seconds: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        let needle = " \(pid) "
        while Date() < deadline {
            let locks = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
            if locks.split(separator: "\n").contains(where: { $0.contains("POSIX") && $0.contains(needle) }) { return true }
            guard process.isRunning else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Ends the helper (SIGKILL: a sibling child may hold our stdin pipe open) and waits for it to exit.
    public func finish() async {
        try? input.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    }
}
