import Foundation
import Testing

/// The fault suite's configuration mistakes (issue 6) through the built binary: the
/// parser's messages are tested in `ConfigParserTests`; here each kind of mistake must reach
/// the operator as one stderr line naming file, line and key, with exit 3 (UNKNOWN), from
/// `status` and from the dashboard alike (before it touches the terminal).
@Suite struct ConfigFaultTests {
    /// One broken file: its text, and the `file:line: key` the message must start with.
    struct Mistake: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var line: Int
        var key: String
        var testDescription: String { name }
    }

    static let broker = "      - name: b1\n        jolokia: http://127.0.0.1:9/api/jolokia\n"

    static let mistakes: [Mistake] = [
        // libyaml notices the unclosed `[` where the next line starts.
        Mistake(name: "bad YAML", yaml: "poll: 1s\ngroups:\n  - name: [g\n" + broker, line: 4, key: "not valid YAML"),
        Mistake(name: "unknown key", yaml: "groups:\n  - name: g\n    lockKeepAlive: 5s\n    brokers:\n" + broker, line: 3,
                key: "groups[g].lockKeepAlive"),
        Mistake(name: "wrong type", yaml: "readOnly: maybe\ngroups:\n  - name: g\n    brokers:\n" + broker, line: 1, key: "readOnly"),
        Mistake(name: "duplicate group", yaml: "groups:\n  - name: g\n    brokers:\n" + broker + "  - name: g\n    brokers:\n" + broker,
                line: 6, key: "groups[g].name"),
        Mistake(name: "bad duration", yaml: "poll: 1 second\ngroups:\n  - name: g\n    brokers:\n" + broker, line: 1, key: "poll"),
        Mistake(name: "password file readable by others",
                yaml: "groups:\n  - name: g\n    brokers:\n" + broker + "        username: admin\n        passwordFile: PASSWORD_FILE\n",
                line: 7, key: "groups[g].brokers[b1].passwordFile"),
    ]

    @Test(arguments: mistakes)
    func mistakeNamesFileLineAndKeyAndExitsThree(_ mistake: Mistake) async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let passwordFile = "\(scratch)/password"
        try "s3cret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        #expect(chmod(passwordFile, 0o644) == 0)
        let path = "\(scratch)/amqtop.yaml"
        try mistake.yaml.replacingOccurrences(of: "PASSWORD_FILE", with: passwordFile).write(toFile: path, atomically: true, encoding: .utf8)

        for arguments in [["status", "--config", path], ["--config", path]] {
            let result = try await AMQTopExecutable.run(arguments, deadline: .now + .seconds(20))
            let command = arguments.first == "status" ? "status" : "dashboard"
            #expect(result.exitCode == 3 && !result.terminatedBySignal, "\(command): exit \(result.exitCode), stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command) printed: \(result.stdout)")
            let message = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(message.hasPrefix("amqtop: \(path):\(mistake.line): \(mistake.key)"), "\(command): \(message)")
            #expect(!result.stderr.contains("s3cret"))
        }
    }
}
