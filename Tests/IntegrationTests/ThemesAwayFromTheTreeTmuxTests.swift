import Foundation
import Testing

/// The real `amqtop`, copied away from the source tree (no `Themes/` above it), in tmux:
/// every documented theme still loads (they are built in), and a file that is no theme is
/// refused naming the file and line without printing a byte of it.
@Suite(.serialized, .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
struct ThemesAwayFromTheTreeTmuxTests {
    @Test func everyDocumentedThemeLoadsAndAForeignFileIsNeverEchoed() async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-themes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch + "/bin", withIntermediateDirectories: true)
        ProcessReaper.shared.removeAtExit(scratch)
        defer {
            try? FileManager.default.removeItem(atPath: scratch)
            ProcessReaper.shared.forgetDirectory(scratch)
        }
        let binary = scratch + "/bin/amqtop"
        try FileManager.default.copyItem(atPath: try AMQTopExecutable.path(), toPath: binary)
        let port = try LoopbackPorts.shared.next()
        let config = AMQTopConfigFile(
            poll: .seconds(1), lockPoll: .milliseconds(250), timeout: .seconds(1),
            groups: [AMQTopConfigFile.Group(
                name: "themed", lockFile: scratch + "/lock", lockKeepAlivePeriod: .seconds(2), lockAcquireSleepInterval: .seconds(1),
                brokers: [AMQTopConfigFile.Broker(name: "t1", jolokia: "http://127.0.0.1:\(port)/api/jolokia", openwire: "tcp://127.0.0.1:\(port)", pidFile: nil)])])
        try config.yaml.write(toFile: scratch + "/amqtop.yaml", atomically: true, encoding: .utf8)
        // HOME and XDG_CONFIG_HOME inside the scratch directory: no user theme can stand in for a built-in one;
        // NO_COLOR empty, or every request would become monochrome.
        let environment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "", "HOME": scratch, "XDG_CONFIG_HOME": scratch + "/config", "XDG_STATE_HOME": scratch + "/state"]

        for theme in ["default", "light", "high-contrast", "monochrome"] {
            print("ThemesAwayFromTheTreeTmuxTests: --theme \(theme)")
            try await TmuxSession.withSession([binary, "--config", scratch + "/amqtop.yaml", "--theme", theme], environment: environment) { tmux in
                try await tmux.waitForScreen("the overview drawn with the \(theme) theme", deadline: .now + .seconds(15)) { $0.contains("▶ themed") }
                try tmux.sendKeys("q")
                #expect(try await tmux.exitStatus() == 0, "--theme \(theme)")
            }
        }

        // A shadow-like file, and YAML whose keys and values would be secrets.
        let secrets = [
            ("shadow", "root:$6$SECRETSALT$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"),
            ("keys.yaml", "roles:\n  SECRETROLE: { fg: red }\n"),
            ("colour.yaml", "roles:\n  master: { fg: SECRETCOLOUR }\n"),
        ]
        for (name, text) in secrets {
            let path = scratch + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            print("ThemesAwayFromTheTreeTmuxTests: --theme \(name)")
            try await TmuxSession.withSession([binary, "--config", scratch + "/amqtop.yaml", "--theme", path], environment: environment) { tmux in
                #expect(try await tmux.exitStatus() == 3, "--theme \(name)")
                let screen = try await tmux.waitForScreen(containing: "amqtop: theme: \(path)")
                #expect(!screen.contains("SECRET") && !screen.contains("19000"), "\(name) was echoed:\n\(screen)")
                #expect(try tmux.display("#{alternate_on}") == "0")
            }
        }
    }
}
