import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The fault suite's terminal (issue 6): a resize storm, SIGHUP, SIGTERM, a closed stdin,
/// and the terminal going away under a running dashboard, as when an SSH session drops.
/// No ActiveMQ: the brokers are refused ports, which is enough for a dashboard that draws
/// and redraws.
@Suite(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
struct TerminalFaultTests {
    /// Writes a config of one group whose two brokers are refused ports; its path.
    static func refusedConfig(in directory: String) throws -> String {
        let config = AMQTopConfigFile(
            poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(1),
            groups: [
                AMQTopConfigFile.Group(
                    name: "refused", lockFile: "\(directory)/lock", lockKeepAlivePeriod: .seconds(2),
                    lockAcquireSleepInterval: .seconds(1),
                    brokers: try (1...2).map { index in
                        let port = try LoopbackPorts.shared.next()
                        return AMQTopConfigFile.Broker(
                            name: "r\(index)", jolokia: "http://127.0.0.1:\(port)/api/jolokia",
                            openwire: "tcp://127.0.0.1:\(port)", pidFile: nil)
                    })
            ])
        let path = "\(directory)/amqtop.yaml"
        try config.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A screen drawn for exactly `width` x `height`: the header on top, the status bar at
    /// the bottom, every bordered line exactly `width` wide and closed by a right border.
    static func isSane(_ screen: String, width: Int, height: Int) -> Bool {
        var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.count > height, lines.last == "" { lines.removeLast() }
        guard lines.count == height, lines[0].hasPrefix("amqtop "), lines[height - 1].contains("q quit") else { return false }
        let bordered = lines.filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }
        guard !bordered.isEmpty, lines.allSatisfy({ $0.count <= width }) else { return false }
        return bordered.allSatisfy { $0.count == width && ["│", "┐", "┘"].contains($0.last.map(String.init) ?? "") }
    }

    /// Waits for the first frame naming the group.
    static func waitForDashboard(_ tmux: TmuxSession) async throws {
        try await tmux.waitForScreen(containing: "refused", deadline: .now + .seconds(15))
    }

    /// After the command exited: cooked modes and the main screen, as a shell expects.
    static func expectRestored(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let modes = try await tmux.terminalModesAfterExit()
        #expect(modes.isCooked, "terminal not restored: \(modes.flags.sorted())", sourceLocation: sourceLocation)
        #expect(try tmux.display("#{alternate_on}") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
    }

    /// `rows columns` of a pty as the kernel has them (what amqtop's ioctl reads), via `stty -F`.
    static func ptySize(_ tty: String) async -> String? {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/stty")
        process.arguments = ["-F", tty, "size"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        // The few bytes fit the pipe's buffer, so reading after the exit cannot block.
        let data = output.fileHandleForReading.availableData
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func hundredResizesInTwoSecondsLeaveASaneScreen() async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.refusedConfig(in: scratch)
        try await TmuxSession.withSession(try DashboardTmuxTests.amqtop(config), environment: DashboardTmuxTests.utf8Environment) { tmux in
            try await Self.waitForDashboard(tmux)
            let pid = try #require(tmux.commandPid())
            // One resize every 20 ms, alternating between sizes (narrow, tiny, wide): each a
            // SIGWINCH arriving while the previous frame may still be drawn.
            let sizes = [(60, 15), (140, 45), (30, 8), (100, 30), (81, 25)]
            let started = ContinuousClock.now
            for step in 0..<100 {
                let (width, height) = sizes[step % sizes.count]
                try tmux.resize(width: width, height: height)
                let due = started + .milliseconds(20 * (step + 1))
                if ContinuousClock.now < due { try await Task.sleep(until: due) }
            }
            let storm = ContinuousClock.now - started
            print("TerminalFaultTests: 100 resizes in \(storm)")
            // The storm's pace is the test's own doing, so it is a precondition, not a check of
            // amqtop: a storm spread over many seconds would test ordinary resizes instead.
            try #require(storm < .seconds(4), "the test could not send 100 resizes in 4 s (took \(storm)): no storm was tested")
            #expect(Glibc.kill(pid, 0) == 0, "amqtop died during the resize storm")

            // Settled on one last size: a complete, clean frame of exactly that size.
            try tmux.resize(width: 100, height: 30)
            let paneTTY = try tmux.display("#{pane_tty}")
            do {
                try await tmux.waitForScreen("a sane 100x30 screen after the storm", deadline: .now + .seconds(10)) {
                    Self.isSane($0, width: 100, height: 30)
                }
            } catch {
                // Whose size is off: tmux's pane, the pty's (what amqtop reads), or amqtop's drawing.
                let pane = (try? tmux.display("#{window_width}x#{window_height} pane #{pane_width}x#{pane_height}")) ?? "?"
                print("TerminalFaultTests: after the storm tmux has window \(pane), pty \(paneTTY) \(await Self.ptySize(paneTTY) ?? "?")")
                throw error
            }
            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus() == 0, "exit status after q")
            try await Self.expectRestored(tmux)
        }
    }

    @Test(arguments: [SIGHUP, SIGTERM])
    func signalEndsTheDashboardAndRestoresTheTerminal(_ signalNumber: Int32) async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.refusedConfig(in: scratch)
        // stderr to a file: the goodbye line would otherwise be drawn over by the pane.
        let stderrPath = "\(scratch)/stderr"
        let command = ["/bin/sh", "-c", "exec \"$@\" 2>\(TmuxSession.quoted(stderrPath))", "sh"] + (try DashboardTmuxTests.amqtop(config))
        try await TmuxSession.withSession(command, environment: DashboardTmuxTests.utf8Environment) { tmux in
            try await Self.waitForDashboard(tmux)
            let pid = try #require(tmux.commandPid())
            let sentAt = ContinuousClock.now
            #expect(Glibc.kill(pid, signalNumber) == 0)
            // Exits by itself (not killed by the signal: 128+n would mean curses never ran its cleanup).
            let status = try await tmux.exitStatus(deadline: .now + .seconds(5))
            print("TerminalFaultTests: signal \(signalNumber) -> exit \(status) after \(ContinuousClock.now - sentAt)")
            #expect(status == 0, "exit status after signal \(signalNumber)")
            try await Self.expectRestored(tmux)
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            #expect(stderr.contains("amqtop: stopped by signal \(signalNumber)"), "stderr: \(stderr)")
            // Nothing curses-drawn is left on the main screen.
            let after = try tmux.capture()
            #expect(!after.contains("q quit") && !after.contains("┌"), "dashboard remnants:\n\(after)")
        }
    }

    /// `< /dev/null` (stdin not a terminal) and `<&-` (no stdin at all): the dashboard
    /// refuses before touching the terminal, with a message and a non-zero exit.
    @Test(arguments: ["< /dev/null", "<&-"])
    func withoutAStdinTerminalItRefusesCleanly(_ redirection: String) async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.refusedConfig(in: scratch)
        let words = try DashboardTmuxTests.amqtop(config).map(TmuxSession.quoted).joined(separator: " ")
        let command = ["/bin/sh", "-c", "exec \(words) \(redirection)"]
        try await TmuxSession.withSession(command, environment: DashboardTmuxTests.utf8Environment) { tmux in
            let status = try await tmux.exitStatus(deadline: .now + .seconds(10))
            #expect(status == 3, "exit status \(status) without a stdin terminal")
            try await Self.expectRestored(tmux)
            let screen = try tmux.capture()
            #expect(screen.contains("needs a terminal"), "no clear message:\n\(screen)")
            // No escape sequences or frame pieces: the only output is the message.
            #expect(!screen.contains("q quit") && !screen.contains("┌") && !screen.contains("\u{1B}"), "garbage left:\n\(screen)")
        }
    }

    // MARK: - The terminal goes away

    /// How the dashboard learns that its terminal is gone (its pty's master closed).
    enum Hangup: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// The usual SSH drop: the kernel's SIGHUP, with the signal's default disposition.
        case sighup
        /// Started with SIGHUP ignored (`trap "" HUP`, nohup): amqtop installs its own handler anyway.
        case sighupIgnoredAtStart
        /// No SIGHUP at all: amqtop in a session of its own (`setsid`), as when the session
        /// leader ignores hangups and lives on. Only reads ending (EOF/EIO) tell.
        case noSighup

        var testDescription: String { rawValue }

        /// Shell words put before amqtop's command line, inside a wrapper that ignores SIGHUP itself.
        var prefix: String {
            switch self {
            case .sighup: "env --default-signal=HUP"
            case .sighupIgnoredAtStart: ""
            case .noSighup: "setsid"
            }
        }
    }

    /// Kills the tmux session under a running dashboard: amqtop must exit promptly and
    /// cleanly (status 0, not a crash), without spinning on a dead terminal, and leave no
    /// process behind.
    @Test(arguments: Hangup.allCases)
    func theTerminalGoingAwayEndsTheDashboard(_ hangup: Hangup) async throws {
        let scratch = try DashboardTmuxTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = try Self.refusedConfig(in: scratch)
        // The pane's own shell dies with the terminal, so a wrapper that ignores SIGHUP (its
        // children inherit that unless `env --default-signal` resets it) records amqtop's
        // exit status. amqtop's stderr stays the terminal, as in an SSH session.
        let statusPath = "\(scratch)/amqtop-exit"
        let wrapper = "trap '' HUP; \(hangup.prefix) \"$@\"; echo EXIT:$? > \(TmuxSession.quoted(statusPath))"
        let command = ["/bin/sh", "-c", wrapper, "sh"] + (try DashboardTmuxTests.amqtop(config))
        var dashboard: pid_t?
        defer {
            // A dashboard that outlived the test (the failure this test is for) must not spin on.
            if let dashboard, ProcessStat.isRunning(dashboard, commandLineContaining: config) { Glibc.kill(dashboard, SIGKILL) }
        }
        try await TmuxSession.withSession(command, environment: DashboardTmuxTests.utf8Environment) { tmux in
            try await Self.waitForDashboard(tmux)
            let shell = try #require(tmux.commandPid())
            let pid = try await eventuallyValue(deadline: .now + .seconds(5), "amqtop's pid under the wrapper") {
                ProcessStat.descendants(of: shell).first { $0.commandLine.first?.hasSuffix("amqtop") == true }?.pid
            }
            dashboard = pid
            // Whatever amqtop runs (nothing, with refused brokers) must end with it.
            let children = ProcessStat.descendants(of: pid)
            let cpuBefore = ProcessStat.read(pid)?.cpuMillis ?? 0

            let killedAt = ContinuousClock.now
            try tmux.tmux(["kill-session", "-t", tmux.name])
            // Polled; the CPU it burns meanwhile is sampled, so a dashboard spinning on EOF
            // fails with a figure, not only a timeout.
            var cpuAfter = cpuBefore
            let exited: Bool
            do {
                try await eventually(deadline: killedAt + .seconds(5), pollInterval: .milliseconds(20), "amqtop (pid \(pid)) to exit") {
                    guard let process = ProcessStat.read(pid), process.isAlive else { return true }
                    cpuAfter = process.cpuMillis
                    return false
                }
                exited = true
            } catch {
                exited = false
            }
            let took = ContinuousClock.now - killedAt
            print("TerminalFaultTests: \(hangup.rawValue): terminal gone -> amqtop \(exited ? "exited" : "still running") after \(took), CPU \(cpuAfter - cpuBefore) ms meanwhile (last sample)")
            #expect(exited, "amqtop still runs \(took) after its terminal went away, \(cpuAfter - cpuBefore) ms CPU")
            // Busy-reading a dead terminal would burn about as much CPU as wall time.
            let wallMillis = took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000
            #expect(cpuAfter - cpuBefore < max(300, wallMillis / 2), "\(cpuAfter - cpuBefore) ms CPU in \(took): spinning")
            guard exited else { return }

            // A clean exit: 0, not 132 (a trap, e.g. writing the goodbye line to the dead
            // terminal) nor 129 (killed by SIGHUP before restoring anything).
            let status = try await eventuallyValue(deadline: .now + .seconds(5), "the wrapper recording amqtop's exit status") { () -> Int32? in
                guard let text = try? String(contentsOfFile: statusPath, encoding: .utf8), text.hasPrefix("EXIT:"), text.hasSuffix("\n")
                else { return nil }
                return Int32(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
            }
            #expect(status == 0, "amqtop's exit status after its terminal went away: \(status)")
            // Nothing left behind: amqtop's children, and anything else running its config.
            try await eventually(deadline: .now + .seconds(5), "no process left running \(config)") {
                children.allSatisfy { !ProcessStat.isRunning($0.pid, commandLineContaining: $0.commandLine.first ?? "") }
                    && !ProcessStat.all().contains { $0.isAlive && $0.commandLine.contains(config) }
            }
        }
    }
}
