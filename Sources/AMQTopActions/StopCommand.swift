import AMQTopCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One run of a broker's `stopCommand`: spawned without a shell, waited for with a deadline.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`, for three reasons found by
/// `StopExecutorTests`:
/// - the dashboard ignores SIGTERM, SIGHUP and SIGINT (it takes them through dispatch sources),
///   and ignored signals stay ignored across `exec`: a stop script, and any broker it started,
///   would have ignored SIGTERM forever, and the deadline's SIGTERM could not stop a hung one.
///   Here every signal is reset to its default and none is blocked;
/// - `Process` reports the end only when every process holding the descriptors it passed has
///   gone, so an init script that leaves a daemon in the background looked hung until the
///   daemon exited. Here the command's own exit is what counts (`waitpid`);
/// - stderr goes to an unlinked temporary file, never a pipe that a chatty command could fill.
///
/// The command gets its own process group, so the deadline stops the command and whatever it
/// started and is still running in its foreground: SIGTERM, then SIGKILL 2 s later.
struct StopCommand: Sendable {
    var executable: String
    /// The whole argument list, `arguments[0]` being the program as configured.
    var arguments: [String]
    var timeoutMillis: Int64

    /// Spawns the command and waits for it; exit 0 is `sent`, anything else `failed` with the tail of stderr.
    func run() async -> StopOutcome {
        let program = arguments.first ?? executable
        guard let errors = Self.scratchFile() else { return .failed("cannot run \(program): no temporary file for its stderr") }
        defer { close(errors) }
        var pid = pid_t()
        let code = Self.spawn(executable: executable, arguments: arguments, stderr: errors, pid: &pid)
        guard code == 0 else { return .failed("cannot run \(program): \(String(cString: strerror(code)))") }
        let started = ContinuousClock.now
        var signalled: Int32?
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { return .failed("\(program): waitpid: \(String(cString: strerror(errno)))") }
            let waited = ContinuousClock.now - started
            if signalled == nil, waited >= .milliseconds(timeoutMillis) {
                kill(-pid, SIGTERM)
                signalled = SIGTERM
            } else if signalled == SIGTERM, waited >= .milliseconds(timeoutMillis + 2000) {
                kill(-pid, SIGKILL)
                signalled = SIGKILL
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let tail = String(decoding: Self.tail(of: errors, bytes: 300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let signal = status & 0x7f
        let exitCode = (status >> 8) & 0xff
        if signal == 0, exitCode == 0 { return .sent("\(program) exited 0") }
        let why: String
        if signalled != nil {
            why = "killed after \(DurationFormat.short(timeoutMillis))"
        } else if signal != 0 {
            why = "killed by signal \(signal)"
        } else {
            why = "exit status \(exitCode)"
        }
        return .failed("\(program): \(why)" + (tail.isEmpty ? "" : ": \(tail)"))
    }

    /// `posix_spawn` with default signals, an empty mask, its own process group, /dev/null in
    /// and out; returns 0 and sets `pid`, or returns the error number.
    static func spawn(executable: String, arguments: [String], stderr: Int32, pid: inout pid_t) -> Int32 {
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
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        return posix_spawn(&pid, executable, &actions, &attributes, &argv, environ)
    }

    /// A read-write descriptor on a file with no name (unlinked at once), or nil when none can be made.
    static func scratchFile() -> Int32? {
        var template = Array((NSTemporaryDirectory() + "/amqtop-stop-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        // Not inherited by anything else amqtop spawns; the stop command gets it as its stderr by dup2.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    /// The last `bytes` bytes written to `fd` so far.
    static func tail(of fd: Int32, bytes: Int) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        let size = Int(info.st_size)
        let start = max(0, size - bytes)
        var buffer = [UInt8](repeating: 0, count: size - start)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        return count > 0 ? Array(buffer.prefix(count)) : []
    }
}
