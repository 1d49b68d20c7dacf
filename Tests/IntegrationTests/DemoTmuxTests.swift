import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop demo` as a new user runs it: the built binary in a real terminal (tmux), a lab
/// group started by the demo itself, and nothing left behind after `q`.
///
/// Each run gets its own `TMPDIR` and `XDG_RUNTIME_DIR`, so the lab directory the demo makes (and the `--dir` in
/// its brokers' command lines) tells this demo's processes from any other lab on the machine.
@Suite(.serialized)
struct DemoTmuxTests {
    static let utf8Environment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]

    /// The demo's default respawn delay (`amqtop demo --respawn`): respawn is on unless asked off.
    static let defaultRespawn: Duration = .seconds(8)

    /// The demo as its hint teaches it: open the group, select the master, `s` and its name;
    /// the new master shows, the stopped broker reads as a stopped process (its pid file stays),
    /// comes back as a slave after the respawn delay and the status line says so; `q` leaves
    /// no process and no directory behind.
    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func demoShowsThreeLabBrokersOneMasterAndQuitLeavesNothingBehind() async throws {
        let started = ContinuousClock.now
        let scratchDirectory = try DemoScratch("amqtop-demo")
        // Whatever happened, no broker of this demo may outlive the test.
        defer { scratchDirectory.remove() }
        let scratch = scratchDirectory.path
        let environment = scratchDirectory.environment()

        try await TmuxSession.withSession([try AMQTopExecutable.path(), "demo"], environment: environment, width: 120, height: 40) { tmux in
            try await tmux.waitForScreen("the overview with the lab group and a master", deadline: .now + .seconds(20)) { screen in
                screen.split(separator: "\n").contains { $0.contains("▶ lab ") && $0.contains("* lab") }
            }
            let labBrokers = Self.labBrokerPids(under: scratch)
            #expect(labBrokers.count == 3, "lab-broker processes under \(scratch): \(labBrokers)")
            let labDirectories = try FileManager.default.contentsOfDirectory(atPath: scratch + "/amqtop/labs").filter { $0.hasPrefix("lab-") }
            #expect(labDirectories.count == 1, "the demo's lab directory in \(scratch): \(labDirectories)")

            let overview = try tmux.capture()
            #expect(overview.contains("Enter, then s stops the master: watch the failover"), "the first-run hint:\n\(overview)")

            try tmux.sendKeys("Enter")
            let screen = try await tmux.waitForScreen("the group view: three lab brokers, exactly one master", deadline: .now + .seconds(20)) { screen in
                let roles = Self.brokerRoles(in: screen)
                return Set(roles.keys) == ["lab1", "lab2", "lab3"]
                    && roles.values.filter { $0 == "* master" }.count == 1
                    && roles.values.filter { $0 == "+ slave" }.count == 2
            }
            let master = try #require(Self.brokerRoles(in: screen).first { $0.value == "* master" }?.key)
            #expect(screen.contains("= \(master)"), "the lock panel names \(master) as the holder")

            try await stopTheMasterAsTheHintSays(tmux, master: master)

            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus(deadline: .now + .seconds(15)) == 0, "exit status after q")
            let modes = try await tmux.terminalModesAfterExit()
            #expect(modes.isCooked, "terminal not restored: \(modes.flags.sorted())")
            #expect(try tmux.display("#{alternate_on}") == "0", "still on the alternate screen")

            // The brokers are gone by the time the demo has exited: it waits for them.
            let leftovers = Self.labBrokerPids(under: scratch)
            #expect(leftovers.isEmpty, "lab brokers still running: \(leftovers)")
            #expect(labBrokers.allSatisfy { !ProcessStat.isRunning($0) }, "a lab broker pid of the demo is still alive")
            let remaining = (try? FileManager.default.contentsOfDirectory(atPath: scratch + "/amqtop/labs")) ?? []
            #expect(!remaining.contains { $0.hasPrefix("lab-") }, "the demo's lab directory was not removed: \(remaining)")
            let after = try tmux.capture()
            #expect(after.contains("amqtop demo: stopped 3 lab brokers"), "the goodbye line:\n\(after)")
        }
        print("DemoTmuxTests: demo start, view and quit in \(ContinuousClock.now - started)")
    }

    /// Selects `master`, stops it with `s` and its name, and follows the failover and the return.
    func stopTheMasterAsTheHintSays(_ tmux: TmuxSession, master: String) async throws {
        let index = try #require(["lab1", "lab2", "lab3"].firstIndex(of: master))
        for _ in 0..<index { try tmux.sendKeys("j") }
        try await tmux.waitForScreen(containing: "s stops the master: watch the failover", deadline: .now + .seconds(10))
        try tmux.sendKeys("s")
        try await tmux.waitForScreen(containing: "Type \(master) to confirm", deadline: .now + .seconds(10))
        try tmux.type(master)
        try tmux.sendKeys("Enter")
        try await tmux.waitForScreen(containing: "any key closes", deadline: .now + .seconds(20))
        try tmux.sendKeys("Escape")

        // Another broker takes over; the stopped one reads as a stopped process, not "no pid file".
        let failover = try await tmux.waitForScreen("a new master and \(master) down as a stopped process", deadline: .now + .seconds(30)) { screen in
            let roles = Self.brokerRoles(in: screen)
            return roles[master] == "x down" && roles.values.filter { $0 == "* master" }.count == 1
                && Self.evidenceLine(of: master, in: screen)?.contains("not running") == true
        }
        let newMaster = try #require(Self.brokerRoles(in: failover).first { $0.value == "* master" }?.key)
        #expect(newMaster != master)
        #expect(!failover.contains("no pid file"), "a stopped lab broker reads as a stopped process:\n\(failover)")
        #expect(!failover.contains("s stops the master"), "the first-run hint outlived the first stop:\n\(failover)")
        let downSeen = ContinuousClock.now

        // The respawn (on by default) brings it back as a slave, and the status line says so.
        // Bound: the respawn delay, a poll, and a generous start-up allowance for a loaded machine.
        let back = try await tmux.waitForScreen("\(master) back as a slave, announced", deadline: downSeen + Self.defaultRespawn + .seconds(25)) { screen in
            Self.brokerRoles(in: screen)[master] == "+ slave" && screen.contains("\(master) is back, as a slave")
        }
        #expect(Self.brokerRoles(in: back)[newMaster] == "* master", "the new master kept the lock:\n\(back)")
        print("DemoTmuxTests: \(master) stopped, \(newMaster) took over, \(master) back as a slave \(ContinuousClock.now - downSeen) after it was seen down (respawn \(Self.defaultRespawn))")
    }

    /// The evidence line under the broker table for `broker` (`│ lab2: process 123 not running ...`).
    static func evidenceLine(of broker: String, in screen: String) -> String? {
        screen.split(separator: "\n").map(String.init).first { line in
            line.firstMatch(of: #/^[│|] (\S+): /#).map { String($0.output.1) == broker } ?? false
        }
    }

    @Test(
        .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"),
        arguments: [SIGTERM, SIGHUP, SIGINT]
    )
    func aSignalToTheDemoStopsEveryLabBroker(_ signalNumber: Int32) async throws {
        let scratchDirectory = try DemoScratch("amqtop-demo-signal")
        // Whatever happened, no broker of this demo may outlive the test.
        defer { scratchDirectory.remove() }
        let scratch = scratchDirectory.path
        let environment = scratchDirectory.environment()
        try await TmuxSession.withSession([try AMQTopExecutable.path(), "demo", "--brokers", "2"], environment: environment, width: 120, height: 40) { tmux in
            try await tmux.waitForScreen("the overview with the lab group and a master", deadline: .now + .seconds(20)) { screen in
                screen.split(separator: "\n").contains { $0.contains("▶ lab ") && $0.contains("* lab") }
            }
            let labBrokers = Self.labBrokerPids(under: scratch)
            #expect(labBrokers.count == 2)
            let demo = try #require(tmux.commandPid())
            #expect(kill(demo, signalNumber) == 0)
            #expect(try await tmux.exitStatus(deadline: .now + .seconds(15)) == 0, "exit status after signal \(signalNumber)")
            #expect(try await tmux.terminalModesAfterExit().isCooked)
            #expect(Self.labBrokerPids(under: scratch).isEmpty)
            #expect(labBrokers.allSatisfy { !ProcessStat.isRunning($0) })
            let remaining = (try? FileManager.default.contentsOfDirectory(atPath: scratch + "/amqtop/labs")) ?? []
            #expect(!remaining.contains { $0.hasPrefix("lab-") }, "lab directory left: \(remaining)")
        }
    }

    /// `kill -9` of the demo cannot remove its lab directory; the next demo or lab does,
    /// and only that one (an unmarked directory beside it stays).
    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func aDemoKilledWithSIGKILLLeavesItsLabDirectoryOnlyUntilTheNextStart() async throws {
        let scratchDirectory = try DemoScratch("amqtop-demo-kill9")
        // Whatever happened, no broker of this demo may outlive the test.
        defer { scratchDirectory.remove() }
        let scratch = scratchDirectory.path
        let environment = scratchDirectory.environment()
        let labs = scratch + "/amqtop/labs"
        let killed = try await TmuxSession.withSession([try AMQTopExecutable.path(), "demo", "--brokers", "2"], environment: environment, width: 120, height: 40) { tmux in
            try await tmux.waitForScreen("the overview with the lab group and a master", deadline: .now + .seconds(20)) { screen in
                screen.split(separator: "\n").contains { $0.contains("▶ lab ") && $0.contains("* lab") }
            }
            let directories = try FileManager.default.contentsOfDirectory(atPath: labs).filter { $0.hasPrefix("lab-") }
            #expect(directories.count == 1, "\(directories)")
            let demo = try #require(tmux.commandPid())
            #expect(kill(demo, SIGKILL) == 0)
            try await eventually(deadline: .now + .seconds(15), "the lab brokers to follow their killed demo") {
                Self.labBrokerPids(under: scratch).isEmpty
            }
            return labs + "/" + (directories.first ?? "?")
        }
        #expect(FileManager.default.fileExists(atPath: killed), "kill -9 left no directory: nothing to prove")
        try FileManager.default.createDirectory(atPath: labs + "/not-a-lab", withIntermediateDirectories: true)

        let next = try await AMQTopExecutable.run(["lab", "--brokers", "0"], deadline: .now + .seconds(20), environment: environment)
        #expect(next.exitCode != 0, "--brokers 0 must be refused")
        #expect(FileManager.default.fileExists(atPath: killed), "a refused start must not sweep")
        try await TmuxSession.withSession([try AMQTopExecutable.path(), "lab", "--brokers", "1"], environment: environment, width: 120, height: 20) { tmux in
            let started = try await tmux.waitForScreen(containing: "Stop it with Ctrl-C", deadline: .now + .seconds(20))
            #expect(started.contains("amqtop lab: 1 lab broker sharing "), "\(started)")
            #expect(!FileManager.default.fileExists(atPath: killed), "the killed demo's lab directory is still there")
            #expect(FileManager.default.fileExists(atPath: labs + "/not-a-lab"))
            // SIGTERM to the lab itself (Ctrl-C would reach the session's wrapper shell too).
            let lab = try #require(tmux.commandPid())
            #expect(kill(lab, SIGTERM) == 0)
            #expect(try await tmux.exitStatus(deadline: .now + .seconds(15)) == 0)
        }
    }

    /// `amqtop demo --help` says what the demo shows and which keys to try.
    @Test func demoHelpSaysWhatItShowsAndWhichKeysToTry() async throws {
        let result = try await AMQTopExecutable.run(["demo", "--help"], deadline: .now + .seconds(20))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let help = result.stdout
        for expected in ["three lab brokers", "Keys to try", "Enter", "s       stop the selected broker", "watch the failover", "--respawn", "is back, as a slave", "q       quit"] {
            #expect(help.contains(expected), "\(expected) missing from:\n\(help)")
        }
    }

    @Test func demoRefusesADumbTerminalBeforeStartingTheLab() async throws {
        let scratchDirectory = try DemoScratch("amqtop-demo-dumb")
        // Whatever happened, no broker of this demo may outlive the test.
        defer { scratchDirectory.remove() }
        let scratch = scratchDirectory.path
        var environment = scratchDirectory.environment(ProcessInfo.processInfo.environment)
        environment["TERM"] = "dumb"
        let result = try await AMQTopExecutable.run(["demo"], deadline: .now + .seconds(20), environment: environment)
        #expect(result.exitCode == 3 && !result.terminatedBySignal)
        #expect(result.stderr.contains("TERM is \"dumb\""), "stderr: \(result.stderr)")
        let created = (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []
        #expect(created.isEmpty, "the demo made \(created) although it could not draw")
        #expect(Self.labBrokerPids(under: scratch).isEmpty)

        // Not a tty (a pipe, as under cron): refused the same way, before the lab.
        environment["TERM"] = "xterm-256color"
        let piped = try await AMQTopExecutable.run(["demo"], deadline: .now + .seconds(20), environment: environment)
        #expect(piped.exitCode == 3, "stderr: \(piped.stderr)")
        #expect(piped.stderr.contains("needs a terminal"), "stderr: \(piped.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).isEmpty)
    }

    /// Pids of live `lab-broker` processes whose command line names a directory under `root`.
    static func labBrokerPids(under root: String) -> [pid_t] {
        ProcessStat.all().filter { process in
            process.isAlive && process.commandLine.contains("lab-broker")
                && process.commandLine.contains { $0.hasPrefix(root + "/") }
        }.map(\.pid).sorted()
    }

    /// Role of each broker row of the group view (`│▶ lab1   * master ...`).
    static func brokerRoles(in screen: String) -> [String: String] {
        var roles: [String: String] = [:]
        for line in screen.split(separator: "\n") {
            if let match = String(line).firstMatch(of: #/^[│|](?:▶|>| ) (\S+) +([*+x?] (?:master|slave|down|unknown))\b/#) {
                roles[String(match.output.1)] = String(match.output.2)
            }
        }
        return roles
    }
}

/// A fresh directory that is one demo's `TMPDIR` and `XDG_RUNTIME_DIR`, so its lab
/// directory (and the `--dir` in its brokers' command lines) tells its processes apart.
struct DemoScratch {
    let path: String

    init(_ prefix: String) throws { path = try LabConformanceTests.temporaryDirectory(prefix) }

    /// `base` (a UTF-8 locale by default) with the temporary and runtime directories pointing here.
    func environment(_ base: [String: String] = DemoTmuxTests.utf8Environment) -> [String: String] {
        var environment = base
        environment["TMPDIR"] = path
        environment["XDG_RUNTIME_DIR"] = path
        return environment
    }

    /// Kills every lab broker still running under it, then removes it.
    func remove() {
        for pid in DemoTmuxTests.labBrokerPids(under: path) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: path)
        ProcessReaper.shared.forgetDirectory(path)
    }
}
