import Foundation
import Testing

/// The keys the footer and help promise, in a real terminal (tmux): a read-only dashboard
/// names no stop key and refuses one; PgDn and PgUp scroll an overflowing alerts panel;
/// the mouse wheel (reporting on while running, off after `q`) scrolls it too.
///
/// No broker runs: six endpoints on ports nothing listens on and a lock file that does not
/// exist give a group with two long alerts at once, more than an 80x16 panel holds.
@Suite(.serialized, .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
struct ScreenKeysTmuxTests {
    static let utf8Environment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]

    /// A group of six brokers nobody runs, in a scratch directory the test removes.
    static func crowdedConfig(in directory: String) throws -> String {
        let brokers = try (1...6).map { index in
            let port = try LoopbackPorts.shared.next()
            return AMQTopConfigFile.Broker(
                name: "c\(index)", jolokia: "http://127.0.0.1:\(port)/api/jolokia", openwire: "tcp://127.0.0.1:\(port)", pidFile: nil)
        }
        let config = AMQTopConfigFile(
            poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(1),
            groups: [
                AMQTopConfigFile.Group(
                    name: "crowded", lockFile: "\(directory)/kahadb/lock", lockKeepAlivePeriod: .seconds(2),
                    lockAcquireSleepInterval: .seconds(1), brokers: brokers)
            ])
        let path = "\(directory)/amqtop.yaml"
        try config.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A 10 kB paste into the `/` filter (it froze the dashboard for ~27 s at 80% CPU) costs a
    /// filter of 64 characters, a message once the prompt closes, and nothing else: polling goes on (the header's
    /// last-poll time moves on after the paste) and Esc and `q` answer.
    @Test func aTenKilobytePasteIntoTheFilterIsCappedAndPollingGoesOn() async throws {
        let scratch = NSTemporaryDirectory() + "/amqtop-paste-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.crowdedConfig(in: scratch)
        try await TmuxSession.withSession([try AMQTopExecutable.path(), "--config", config], environment: Self.utf8Environment, width: 100, height: 24) { tmux in
            try await tmux.waitForScreen(containing: "▶ crowded", deadline: .now + .seconds(15))
            try tmux.sendKeys("/")
            // Literal keys, as a terminal delivers a paste: 10,240 of them in five bursts.
            let chunk = String(repeating: "crowdedx", count: 256)
            for _ in 0..<5 { try tmux.tmux(["send-keys", "-t", tmux.name, "-l", chunk]) }
            let expected = String(chunk.prefix(64))
            let capped = try await tmux.waitForScreen("the filter capped at 64 characters", deadline: .now + .seconds(20)) {
                Self.lastLine($0).hasPrefix("/" + expected + "_")
            }
            #expect(capped.contains("(filter: \(expected))"), "\(capped)")
            let pollAfterPaste = Self.lastPoll(capped)
            #expect(pollAfterPaste != nil, "no last-poll time in:\n\(capped)")
            try await tmux.waitForScreen("polling goes on after the paste", deadline: .now + .seconds(10)) {
                Self.lastPoll($0).map { $0 != pollAfterPaste } ?? false
            }
            // Enter keeps the filter; the status line then says why the rest is gone.
            try tmux.sendKeys("Enter")
            try await tmux.waitForScreen(containing: "at most 64 characters", deadline: .now + .seconds(5))
            try tmux.sendKeys("Escape")
            try await tmux.waitForScreen(containing: "▶ crowded", deadline: .now + .seconds(5))
            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus(deadline: .now + .seconds(5)) == 0, "exit status after q")
        }
    }

    /// The header's `last poll HH:MM:SS`.
    static func lastPoll(_ screen: String) -> String? {
        screen.firstMatch(of: #/last poll (\d\d:\d\d:\d\d)/#).map { String($0.output.1) }
    }

    @Test func readOnlyFooterAndPagingTheAlerts() async throws {
        let scratch = NSTemporaryDirectory() + "/amqtop-keys-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.crowdedConfig(in: scratch)
        let command = [try AMQTopExecutable.path(), "--config", config, "--read-only"]
        try await TmuxSession.withSession(command, environment: Self.utf8Environment, width: 80, height: 16) { tmux in
            try await tmux.waitForScreen(containing: "▶ crowded", deadline: .now + .seconds(15))
            try tmux.sendKeys("Enter")
            let group = try await tmux.waitForScreen("the group view, polled", deadline: .now + .seconds(15)) {
                $0.contains("Group crowded") && $0.contains("? unknown")
            }
            let footer = Self.lastLine(group)
            #expect(footer.contains("Esc back") && footer.contains("Tab panel"), "footer: \(footer)")
            #expect(!footer.contains("stop"), "a read-only footer offers a stop: \(footer)")

            // Tab to the alerts (brokers, lock, keep-alive, alerts): it overflows and says how to scroll.
            try tmux.sendKeys("Tab", "Tab", "Tab")
            let first = try await tmux.waitForScreen("the focused alerts panel, overflowing", deadline: .now + .seconds(5)) {
                Self.lastLine($0).contains("PgDn scroll") && $0.contains("more lines below (PgDn)")
            }
            #expect(first.contains("No broker is serving as master"), "\(first)")
            try tmux.sendKeys("PageDown")
            let paged = try await tmux.waitForScreen("the alerts from the second one", deadline: .now + .seconds(5)) {
                $0.contains("Alerts: crowded (2, from 2)")
            }
            #expect(paged.contains("does not exist") && !paged.contains("No broker is serving as master"), "\(paged)")
            try tmux.sendKeys("PageUp")
            try await tmux.waitForScreen("the alerts from the first again", deadline: .now + .seconds(5)) {
                $0.contains("Alerts: crowded (2)") && $0.contains("No broker is serving as master")
            }

            // Wheel reporting is on while the dashboard runs, and a wheel notch down scrolls.
            #expect(try tmux.display("#{mouse_any_flag}") == "1", "mouse reporting is not on")
            try tmux.tmux(["send-keys", "-t", tmux.name, "-H", "1b", "5b", "4d", "61", "21", "21"])
            try await tmux.waitForScreen(containing: "Alerts: crowded (2, from 2)", deadline: .now + .seconds(5))

            // And the key the footer left out does nothing but say why.
            try tmux.sendKeys("s")
            let refused = try await tmux.waitForScreen(containing: "read-only dashboard", deadline: .now + .seconds(5))
            #expect(!refused.contains("Stop c"), "a stop dialog opened on a read-only dashboard:\n\(refused)")

            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus() == 0, "exit status after q")
            let modes = try await tmux.terminalModesAfterExit()
            #expect(modes.isCooked, "terminal not restored: \(modes.flags.sorted())")
            #expect(try tmux.display("#{alternate_on}") == "0", "still on the alternate screen")
            #expect(try tmux.display("#{mouse_any_flag}") == "0", "mouse reporting left on after q")
        }
    }

    /// On the overview, Tab gives the keys to the selected group below the list: PgDn and the
    /// wheel scroll it by whole alerts, then to its brokers, through the real terminal.
    @Test func theOverviewScrollsTheSelectedGroupsPanels() async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await TmuxSession.withSession(try DashboardTmuxTests.amqtop(try Self.crowdedConfig(in: scratch)), environment: Self.utf8Environment, width: 80, height: 24) { tmux in
            try await tmux.waitForScreen(containing: "Alerts: crowded (2)", deadline: .now + .seconds(15))
            #expect(Self.lastLine(try tmux.capture()).contains("Tab panels"))
            try tmux.sendKeys("Tab")
            try await tmux.waitForScreen("the footer of the scrolling overview", deadline: .now + .seconds(5)) {
                Self.lastLine($0).contains("Tab list") && Self.lastLine($0).contains("PgDn scroll")
            }
            try tmux.sendKeys("PageDown")
            try await tmux.waitForScreen(containing: "Alerts: crowded (2, from 2)", deadline: .now + .seconds(5))
            try tmux.sendKeys("PageDown")
            let brokers = try await tmux.waitForScreen(containing: "Brokers: crowded (alerts above: PgUp)", deadline: .now + .seconds(5))
            #expect(!brokers.contains("Alerts: crowded"), "\(brokers)")
            // A wheel notch up (X10 mouse report, button 64) goes back one stop.
            try tmux.tmux(["send-keys", "-t", tmux.name, "-H", "1b", "5b", "4d", "60", "21", "21"])
            try await tmux.waitForScreen(containing: "Alerts: crowded (2, from 2)", deadline: .now + .seconds(5))
            try tmux.sendKeys("Tab")
            try await tmux.waitForScreen("the list's footer again", deadline: .now + .seconds(5)) { Self.lastLine($0).contains("Tab panels") }
            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus() == 0, "exit status after q")
        }
    }

    static func lastLine(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }
}
