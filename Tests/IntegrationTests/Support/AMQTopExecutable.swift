import Foundation

/// The `amqtop` binary built alongside the test bundle, and a way to run it.
///
/// SwiftPM puts every product of a build in one directory, and the IntegrationTests target
/// depends on the `amqtop` executable target, so the binary sits next to the test bundle's
/// own executable (found through `/proc/self/exe`).
enum AMQTopExecutable {
    /// Path of the built `amqtop`, or a message saying where it was looked for.
    static func path() throws -> String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testExecutable.deletingLastPathComponent().appendingPathComponent("amqtop").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw HarnessError.launch(
                "no amqtop executable at \(candidate); build with `swift build --build-tests` "
                    + "(IntegrationTests depends on the amqtop target)")
        }
        return candidate
    }

    /// Runs `amqtop` with `arguments`, capturing its output; SIGKILLs it at `deadline`.
    static func run(
        _ arguments: [String],
        deadline: ContinuousClock.Instant = .now + .seconds(30),
        environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) async throws -> CommandResult {
        try await CommandRunner.run(
            try path(), arguments, deadline: deadline,
            environment: environment, currentDirectory: currentDirectory)
    }
}
