import Foundation

/// Runs the harness's setup commands (`ip`, `ssh-keygen`, `nsenter`) to completion, throwing on failure.
enum MultiHostShell {
    /// Runs `arguments` (argv[0] is a path) and returns stdout; throws with stderr on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], timeout: Duration = .seconds(20)) async throws -> String {
        let result = try await CommandRunner.run(arguments[0], Array(arguments.dropFirst()), deadline: .now + timeout)
        guard result.exitCode == 0, !result.timedOut else {
            throw HarnessError.launch("\(arguments.joined(separator: " ")) exited \(result.exitCode): \(result.stderr)")
        }
        return result.stdout
    }

    /// Like `run`, but failures are ignored (cleanup of what may already be gone).
    static func attempt(_ arguments: [String]) async {
        _ = try? await CommandRunner.run(arguments[0], Array(arguments.dropFirst()), deadline: .now + .seconds(10))
    }

    /// Waits (up to 10 s) for `process` to exit, without blocking a cooperative thread.
    static func waitForExit(_ process: Process) async {
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// The root-namespace pids of `pid`'s children (from `/proc/PID/task/PID/children`).
    static func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The pid of `pid` as its own (innermost) pid namespace sees it, from `NSpid:` in its status.
    static func innermostPid(of pid: pid_t) -> pid_t? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { return nil }
        return line.split(whereSeparator: \.isWhitespace).last.flatMap { pid_t($0) }
    }
}
