import AMQTopCore
import Foundation
import Testing

/// `amqtop --version` answers with the version and nothing else, exit 0, without a config or a terminal.
struct VersionFlagTests {
    @Test func versionPrintsTheVersionAndExitsZero() async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-version-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Run where no amqtop.yaml is found: --version needs none.
        let result = try await AMQTopExecutable.run(["--version"], deadline: .now + .seconds(20), currentDirectory: scratch)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == AMQTopVersion.string + "\n")
        #expect(result.stderr.isEmpty)
        #expect(!AMQTopVersion.string.isEmpty && AMQTopVersion.string.allSatisfy { $0.isNumber || $0 == "." })
    }
}
