import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion with a deadline, capturing stdout and stderr.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on
/// a full pipe while the harness waits for it to exit.
enum CommandRunner {
    /// Runs `executable` with `arguments`; SIGKILLs it and its process group at `deadline` and reports `timedOut`.
    static func run(
        _ executable: String,
        _ arguments: [String],
        deadline: ContinuousClock.Instant,
        environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) async throws -> CommandResult {
        let scratch = NSTemporaryDirectory() + "/amqtop-itest-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let stdoutPath = "\(scratch)/stdout"
        let stderrPath = "\(scratch)/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        guard let stdout = FileHandle(forWritingAtPath: stdoutPath),
            let stderr = FileHandle(forWritingAtPath: stderrPath)
        else {
            throw HarnessError.launch("cannot create output files in \(scratch)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw HarnessError.launch("\(executable): \(error)")
        }
        try? stdout.close()
        try? stderr.close()

        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                timedOut = true
                // Foundation starts the child as a process group leader: the group's kill also
                // ends what a script started (run.sh's fuzzer), which would otherwise run on.
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                // Polled: a blocking wait would hold one of the test pool's few threads.
                while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandResult(
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            exitCode: process.terminationStatus,
            terminatedBySignal: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut
        )
    }
}
