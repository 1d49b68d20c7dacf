import Foundation

/// A child process started with `posix_spawn`, its stdin, stdout and stderr on pipes, and a
/// thread that reaps it.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended when a socket it hands the
/// child closes, and ssh closes every descriptor above 2 at start; Foundation then blocks its one
/// monitor thread in `waitpid` on a live ssh, and no other `Process` of amqtop (or of a test)
/// is ever seen to exit again (seen: a test hung until its time limit). Signals are reset to
/// their defaults (the dashboard ignores SIGTERM; its children must not), the mask is emptied,
/// and the child gets its own process group, so a Ctrl-C meant for amqtop does not kill it.
final class SpawnedChild: @unchecked Sendable {
    let pid: pid_t
    /// Our ends of the child's standard streams.
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var status: Int32?

    /// Spawns `executable` with `arguments` (argv[0] included) and `environment`; throws the errno text.
    init(executable: String, arguments: [String], environment: [String: String]) throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0, pipe(&errors) == 0 else {
            throw SpawnError(message: String(cString: strerror(errno)))
        }
        // Close-on-exec so no other child inherits these (pipe2 is not in Swift's Glibc module;
        // the dup2 of the spawn gives the child its own copies without the flag).
        for fd in input + output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &argv, &envp)
        close(input[0])
        close(output[1])
        close(errors[1])
        guard result == 0 else {
            close(input[1])
            close(output[0])
            close(errors[0])
            throw SpawnError(message: "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        let childPid = pid
        stdinFD = input[1]
        stdoutFD = output[0]
        stderrFD = errors[0]
        let reaper = Thread { [self] in
            var raw: Int32 = 0
            while waitpid(childPid, &raw, 0) < 0, errno == EINTR {}
            // Exit status, or 128 + signal like a shell.
            let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            lock.withLock { status = code }
        }
        reaper.name = "amqtop-reap"
        reaper.start()
    }

    /// The exit status once the child has ended (128 + N when killed by signal N).
    var exitStatus: Int32? { lock.withLock { status } }

    /// True until the child has been reaped.
    var isRunning: Bool { exitStatus == nil }

    /// SIGKILL to the child, if it still runs (never to a reaped, possibly reused pid).
    func kill() {
        lock.withLock { if status == nil { _ = Glibc.kill(pid, SIGKILL) } }
    }

    /// Writes all of `data` to the child's stdin; false when it stopped reading (EPIPE).
    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(stdinFD, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Closes our end of the child's stdin (it reads EOF).
    func closeInput() {
        lock.withLock {
            if !inputClosed { close(stdinFD); inputClosed = true }
        }
    }

    private var inputClosed = false

    /// Reads `fd` on a thread of its own, handing each chunk to `deliver`, then nil at EOF, then closes it.
    static func readUntilEOF(_ fd: Int32, name: String, deliver: @escaping @Sendable (Data?) -> Void) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                deliver(Data(buffer[0..<count]))
            }
            deliver(nil)
            close(fd)
        }
        thread.name = name
        thread.start()
    }
}

/// A child could not be started.
struct SpawnError: Error {
    var message: String
}
