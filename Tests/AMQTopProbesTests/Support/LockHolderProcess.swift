import AMQTopProbes
import Foundation

/// Another process holding a POSIX write lock on a file, taken the way Java's `tryLock` does.
///
/// Java's `FileChannel.tryLock(0, max(1,size), false)` is `fcntl(F_SETLK)` with `F_WRLCK`
/// over `[0, size)`; Python's `fcntl.lockf` with `LOCK_EX | LOCK_NB` is the same call.
final class LockHolderProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    var pid: Int32 { process.processIdentifier }

    /// How many locks the helper takes (one per path).
    let lockCount: Int

    /// Starts python3, which opens `path` read-write, locks `length` bytes (0 = to EOF) and waits.
    convenience init(path: String, length: Int) throws {
        try self.init(paths: [path], length: length)
    }

    /// Starts python3, which locks `length` bytes (0 = to EOF) of each of `paths` and waits.
    init(paths: [String], length: Int) throws {
        lockCount = paths.count
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = """
            import fcntl, os, sys
            fds = []
            for path in sys.argv[2:]:
                fd = os.open(path, os.O_RDWR)
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, int(sys.argv[1]), 0, os.SEEK_SET)
                fds.append(fd)
            print("locked", flush=True)
            sys.stdin.read()
            """
        process.arguments = ["python3", "-c", script, String(length)] + paths
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Waits until the kernel lists all the helper's locks in /proc/locks; false if not within `millis`.
    func waitUntilLocked(millis: Int) async -> Bool {
        let pid = pid
        let count = lockCount
        return await Waiting.until(millis: millis) {
            ProcLock.parse(ProcFile.text("/proc/locks") ?? "").filter { $0.pid == pid }.count >= count
        }
    }

    /// Ends the helper and waits for it to exit, without blocking a cooperative thread.
    ///
    /// SIGKILL rather than EOF on stdin: a sibling child spawned by a concurrent test can
    /// inherit our pipe's write end, and then python would wait for an EOF that never comes.
    /// Polling instead of `waitUntilExit()`: the test pool has one thread per core, and a
    /// blocked one stalls every other test.
    func finish() async {
        try? input.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        _ = await Waiting.until(millis: 10_000) { !self.process.isRunning }
    }
}
