import AMQTopCore
import Foundation

/// Temporary directories, sample events and the built `amqtop` binary, for store and CLI tests.
enum HistoryTestSupport {
    /// A new empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-history-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A finished crash takeover from `from` to `to` whose lock timestamp is `acquiredAt`.
    static func takeover(
        group: String = "orders", from: String = "b1", to: String = "b2", acquiredAt: Int64,
        goneAfter: Int64 = -800, servingAfter: Int64 = 1400, cause: FailoverCause = .crash, complete: Bool = true
    ) -> FailoverEvent {
        FailoverEvent(
            group: group, key: FailoverEvent.lockKey(acquiredAt), fromBroker: from, toBroker: to, cause: cause,
            detectedAtMillis: acquiredAt + 100,
            oldMasterLastServing: PhaseStamp(atMillis: acquiredAt + goneAfter - 1000, signal: .jolokia),
            oldMasterGone: PhaseStamp(atMillis: acquiredAt + goneAfter, signal: .openwire),
            lockAcquired: PhaseStamp(atMillis: acquiredAt, signal: .lockFile),
            newMasterServing: complete ? PhaseStamp(atMillis: acquiredAt + servingAfter, signal: .jolokia) : nil)
    }

    /// The `amqtop` binary SwiftPM built next to this test bundle (the target depends on it).
    static func amqtopPath() throws -> String { try builtExecutable("amqtop") }

    /// The test-only `amqtop-history-soak` fixture SwiftPM built next to this test bundle.
    static func historySoakPath() throws -> String { try builtExecutable("amqtop-history-soak") }

    /// An executable SwiftPM built next to this test bundle (the target depends on it).
    private static func builtExecutable(_ name: String) throws -> String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testExecutable.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw SupportError("no \(name) executable at \(candidate); build with `swift build --build-tests`")
        }
        return candidate
    }

    /// The output and exit status of one finished `amqtop` run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `amqtop` to completion with `arguments`, in an environment without a config.
    ///
    /// Output goes to files and the exit is awaited by polling: a pipe can be inherited by a
    /// child another test spawns at the same moment (then EOF never comes), and a blocking
    /// wait would hold one of the test pool's few threads.
    static func runAMQTop(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try amqtopPath())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let directory = try temporaryDirectory()
        // No ./amqtop.yaml is found in an empty working directory.
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let outPath = directory + "/stdout"
        let errPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.close()
        try? err.close()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                throw SupportError("amqtop \(arguments.joined(separator: " ")) still running after 60 s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    struct SupportError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
