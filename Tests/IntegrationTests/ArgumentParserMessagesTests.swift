import Foundation
import Testing

/// swift-argument-parser's own messages quote the user's argument: they go through the output
/// sanitiser like every other line amqtop writes (an ESC is shown as `\x1b`, never sent), with
/// ArgumentParser's exit codes unchanged (64, EX_USAGE, for a bad command line).
@Suite struct ArgumentParserMessagesTests {
    @Test func badArgumentsAreEchoedVisiblyWithTheUsualExitCode() async throws {
        let scratch = try HostileInputTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let cases: [(arguments: [String], says: String)] = [
            // A value ArgumentParser cannot convert.
            (["lab-broker", "--jolokia-port", "1\u{1B}[2J", "--openwire-port", "2"], "The value '1\\x1b[2J' is invalid for '--jolokia-port"),
            // An option it does not know: a window-title escape in its name.
            (["status", "--\u{1B}]0;owned\u{07}"], "Unknown option '--\\x1b]0;owned\\x07'"),
            // A ValidationError of amqtop's own, quoting the value, printed by the same path.
            (["history", "--since", "\u{1B}[31mred", "--history", scratch + "/h.sqlite"], "--since: not a span (24h, 7d) or a date (2026-11-20): \\x1b[31mred"),
        ]
        for item in cases {
            let result = try await AMQTopExecutable.run(item.arguments, deadline: .now + .seconds(30), currentDirectory: scratch)
            #expect(result.exitCode == 64, "\(item.arguments): exit \(result.exitCode), \(result.stderr)")
            #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"), "\(item.arguments): a raw ESC went out")
            #expect(result.stderr.contains(item.says), "\(item.arguments): \(result.stderr)")
        }
        // Clean exits are as before: help on stdout, exit 0.
        let help = try await AMQTopExecutable.run(["history", "--help"], deadline: .now + .seconds(30), currentDirectory: scratch)
        #expect(help.exitCode == 0 && help.stdout.contains("USAGE: amqtop history"), "\(help.exitCode) \(help.stdout)")
    }
}
