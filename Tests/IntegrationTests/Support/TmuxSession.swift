import AMQTopTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One command running in a real terminal: a detached session of a private tmux server.
///
/// Notes for whoever uses or changes this driver:
/// - Every session has its own server (`tmux -S DIR/socket`, no user config), so tests
///   never see each other's sessions or a developer's own tmux; ``kill()`` ends the server,
///   and ``withSession(_:environment:width:height:_:)`` calls it on every path.
/// - The pane runs a small script: the command (its pid written to a file first, so a
///   command that ignores the server's SIGHUP can still be SIGKILLed), then
///   `EXIT:<status>` into a status file, then `stty -a` into another file (the pane's
///   terminal modes once the command is gone), then a long `sleep`, so the pane stays
///   and `#{alternate_on}` can still be asked.
/// - Screens are read with `capture-pane -p` (text only, trailing blanks dropped) and
///   polled until a condition holds or a deadline passes: never bare sleeps.
final class TmuxSession: Sendable {
    /// The tmux binary.
    static let executable = "/usr/bin/tmux"

    /// The session's name, the target of every command.
    let name: String
    /// Scratch directory holding the socket, the pane script and the files it writes.
    let directory: String
    /// The private server's socket.
    let socketPath: String
    /// Written by the pane once the command exits: `EXIT:<status>`.
    let statusFile: String
    /// `stty -a` of the pane's terminal, written right after the command exits.
    let sttyFile: String
    /// The command's pid, written just before it starts.
    let pidFile: String

    /// Whether tmux is installed here.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Whether the terminal suites skip: only off CI, when tmux is missing. Under CI a
    /// missing tmux runs them anyway, so each fails at `start` naming what is missing.
    static var skipped: Bool { !isInstalled && !CIEnvironment.isCI }

    /// Throws a message naming the missing binary and the way to install it, unless tmux is here.
    ///
    /// The path is a parameter so a test can check the failure without uninstalling tmux.
    static func requireInstalled(executable: String = executable) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessError.notInstalled("missing \(executable): install Debian's tmux (.ci/setup does)")
        }
    }

    /// Starts `command` in a `width` x `height` terminal with `environment` added to tmux's own.
    static func start(
        _ command: [String], environment: [String: String] = [:], width: Int = 100, height: Int = 30
    ) throws -> TmuxSession {
        try requireInstalled()
        let session = try TmuxSession()
        do {
            try session.launch(command, environment: environment, width: width, height: height)
        } catch {
            session.kill()
            throw error
        }
        return session
    }

    /// Starts a session, runs `body`, and always kills the server afterwards, failure or not.
    static func withSession<T: Sendable>(
        _ command: [String], environment: [String: String] = [:], width: Int = 100, height: Int = 30,
        _ body: (TmuxSession) async throws -> T
    ) async throws -> T {
        let session = try start(command, environment: environment, width: width, height: height)
        do {
            let result = try await body(session)
            session.kill()
            return result
        } catch {
            // The last screen is the most useful thing a failed end-to-end test can print.
            print("tmux session \(session.name), last screen:\n\((try? session.capture()) ?? "(unreadable)")")
            session.kill()
            throw error
        }
    }

    private init() throws {
        var template = Array("\(NSTemporaryDirectory())/amqtop-tmux-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        guard let created else {
            throw HarnessError.layout("mkdtemp for a tmux session failed: errno \(errno)")
        }
        directory = String(cString: created)
        name = "amqtop"
        // A unix socket path must fit in sun_path (108 bytes); the temporary directory is short.
        socketPath = "\(directory)/socket"
        statusFile = "\(directory)/status"
        sttyFile = "\(directory)/stty"
        pidFile = "\(directory)/pid"
        ProcessReaper.shared.removeAtExit(directory)
    }

    deinit {
        // A test that forgot `kill()` must still not leave a server behind.
        kill()
    }

    private func launch(_ command: [String], environment: [String: String], width: Int, height: Int) throws {
        // Dashboards record history and audits under XDG_STATE_HOME: unless a test shares one on
        // purpose, keep them in this session's scratch directory, never in the user's own.
        var environment = environment
        if environment["XDG_STATE_HOME"] == nil { environment["XDG_STATE_HOME"] = directory + "/state" }
        let environmentArguments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let inner = ["/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", pidFile, "/usr/bin/env"]
            + environmentArguments + command
        let script = """
            \(inner.map(Self.quoted).joined(separator: " "))
            echo "EXIT:$?" > \(Self.quoted(statusFile))
            stty -a > \(Self.quoted(sttyFile)) 2>&1
            exec sleep 3600
            """
        let scriptPath = "\(directory)/pane.sh"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        try tmux([
            "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", name,
            "/bin/sh \(Self.quoted(scriptPath))",
        ])
    }

    /// Runs one tmux command against this session's server and returns its stdout.
    ///
    /// Not `Foundation.Process`: a process it starts from a test's thread inherits that
    /// thread's signal mask, in which libdispatch blocks nearly every signal, and the tmux
    /// server (forked from the client) keeps it for life, so `kill-server`'s SIGTERM and
    /// its children's SIGCHLD stay pending forever. `posix_spawn` with an empty mask and
    /// default dispositions gives tmux a normal process; `waitpid` on its own pid reaps it.
    @discardableResult
    func tmux(_ arguments: [String], deadline: Duration = .seconds(10)) throws -> String {
        let full = [Self.executable, "-u", "-f", "/dev/null", "-S", socketPath] + arguments
        let outputPath = "\(directory)/tmux-\(UUID().uuidString).out"
        let errorPath = outputPath + ".err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        let pid = try Self.spawn(full, stdout: outputPath, stderr: errorPath)
        let status = try Self.wait(for: pid, deadline: .now + deadline, what: arguments.joined(separator: " "))
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw HarnessError.launch("tmux \(arguments.joined(separator: " ")) exited \(status): \(errors)")
        }
        return output
    }

    /// Starts `arguments` with stdin from /dev/null and stdout, stderr to files, signals reset.
    private static func spawn(_ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw HarnessError.launch("posix_spawn \(arguments[0]): errno \(result)")
        }
        return pid
    }

    /// Reaps `pid` and returns its exit status; SIGKILLs it at `deadline`.
    private static func wait(for pid: pid_t, deadline: ContinuousClock.Instant, what: String) throws -> Int32 {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR {
                throw HarnessError.launch("waitpid for tmux \(what): errno \(errno)")
            }
            if ContinuousClock.now >= deadline {
                Glibc.kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw HarnessError.deadlineExceeded("tmux \(what) to finish")
            }
            // tmux commands take a few milliseconds; a short nap keeps polling cheap.
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Types `keys` as tmux key names (`Enter`, `Escape`, `q`, `C-l`).
    func sendKeys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Types `text` literally, character by character.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// The visible screen as text, one line per terminal row.
    func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// Resizes the window (and so the pane) to `width` x `height`; the command gets SIGWINCH.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// A tmux format evaluated for the pane, e.g. `#{alternate_on}`.
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until it contains `text`; returns that screen.
    @discardableResult
    func waitForScreen(
        containing text: String, deadline: ContinuousClock.Instant = .now + .seconds(10)
    ) async throws -> String {
        try await waitForScreen("a screen containing \"\(text)\"", deadline: deadline) { $0.contains(text) }
    }

    /// Polls the screen until `condition` holds; returns that screen, or fails naming `what`
    /// and showing the last screen seen.
    @discardableResult
    func waitForScreen(
        _ what: String, deadline: ContinuousClock.Instant = .now + .seconds(10),
        pollInterval: Duration = .milliseconds(20),
        where condition: (String) throws -> Bool
    ) async throws -> String {
        var last = ""
        while true {
            last = try capture()
            if try condition(last) {
                return last
            }
            if ContinuousClock.now >= deadline {
                throw HarnessError.deadlineExceeded("\(what); last screen:\n\(last)")
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// The command's exit status once it has exited, read from the status file.
    func exitStatus(deadline: ContinuousClock.Instant = .now + .seconds(10)) async throws -> Int32 {
        try await eventuallyValue(deadline: deadline, "\(statusFile) saying the command exited") { () -> Int32? in
            guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
                text.hasPrefix("EXIT:"), text.hasSuffix("\n")
            else { return nil }
            return Int32(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// `stty -a` of the pane's terminal right after the command exited.
    func terminalModesAfterExit(deadline: ContinuousClock.Instant = .now + .seconds(10)) async throws -> TerminalModes {
        let text = try await eventuallyValue(deadline: deadline, "\(sttyFile) with the pane's terminal modes") { () -> String? in
            // stty writes in one go; its last line names the output flags.
            guard let text = try? String(contentsOfFile: sttyFile, encoding: .utf8), text.contains("icanon") else { return nil }
            return text
        }
        return TerminalModes(sttyOutput: text)
    }

    /// The command's pid, once the pane has started it.
    func commandPid() -> pid_t? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Ends the server (the pane gets SIGHUP), SIGKILLs the command if it outlived that, and
    /// removes the scratch directory. Safe to call more than once; never throws.
    func kill() {
        // Already killed (the directory is gone): nothing left to end.
        guard FileManager.default.fileExists(atPath: directory) else { return }
        _ = try? tmux(["kill-server"])
        if let pid = commandPid() {
            // The pid is ours only while it still runs our command line: never hit a recycled pid.
            let deadline = ContinuousClock.now + .seconds(5)
            while ProcessStat.isRunning(pid, commandLineContaining: directory) || ProcessStat.isRunning(pid, commandLineContaining: "amqtop") {
                if ContinuousClock.now >= deadline {
                    Glibc.kill(pid, SIGKILL)
                    break
                }
                usleep(20_000)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        ProcessReaper.shared.forgetDirectory(directory)
    }

    /// `value` as one single-quoted shell word.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The local modes `stty -a` reported, enough to tell a restored terminal from a raw one.
struct TerminalModes: Sendable, Equatable {
    /// Every flag word of the output, e.g. `icanon`, `-echo`.
    let flags: Set<String>

    init(sttyOutput: String) {
        flags = Set(sttyOutput.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map(String.init))
    }

    /// Line editing and echo on: how a shell expects its terminal, and what curses must restore.
    var isCooked: Bool { flags.contains("icanon") && flags.contains("echo") }
}
