import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's stop fails closed, through the real `amqtop` in tmux on a real lab group:
/// with no audit line possible, or with another amqtop action holding the group, the stop
/// dialog says why and the master keeps serving.
@Suite(.serialized, .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
struct DashboardStopFailClosedTests {
    /// What stands in the stop's way, and the words the dialog must show.
    enum Obstacle: String, CaseIterable, Sendable {
        /// `audit.log` is a directory: no intent line can be written.
        case unwritableAudit
        /// Another process holds amqtop's own action lock of the group.
        case heldGroupLock
    }

    @Test(arguments: Obstacle.allCases)
    func aRefusedStopLeavesTheMasterServing(_ obstacle: Obstacle) async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-dash-failclosed-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        ProcessReaper.shared.removeAtExit(scratch)
        var holders: [Process] = []
        let lab = Process()
        defer {
            for process in holders + [lab] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: scratch)
            ProcessReaper.shared.forgetDirectory(scratch)
        }
        lab.executableURL = URL(fileURLWithPath: try AMQTopExecutable.path())
        lab.arguments = ["lab", "--brokers", "2", "--dir", scratch + "/lab", "--lock-acquire-interval", "500ms"]
        lab.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        lab.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try lab.run()
        try await eventually(deadline: .now + .seconds(20), "the lab's amqtop.yaml and pid files") {
            ["amqtop.yaml", "lab1.pid", "lab2.pid"].allSatisfy { FileManager.default.fileExists(atPath: scratch + "/lab/" + $0) }
        }

        let state = scratch + "/state"
        let words: String
        switch obstacle {
        case .unwritableAudit:
            try FileManager.default.createDirectory(atPath: state + "/amqtop/audit.log", withIntermediateDirectories: true)
            words = "audit log cannot be written"
        case .heldGroupLock:
            // A holder of amqtop's own lock file for the group, as a drill in progress would be.
            try FileManager.default.createDirectory(atPath: state + "/amqtop/locks", withIntermediateDirectories: true)
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = ["--exclusive", state + "/amqtop/locks/lab.lock", "sleep", "120"]
            try holder.run()
            holders.append(holder)
            try "\(holder.processIdentifier)\n".write(toFile: state + "/amqtop/locks/lab.lock", atomically: false, encoding: .utf8)
            try await eventually(deadline: .now + .seconds(10), "flock holding the group's action lock") {
                (try? String(contentsOfFile: "/proc/locks", encoding: .utf8))?.contains("FLOCK") == true
            }
            words = "another amqtop action on group lab is under way (pid \(holder.processIdentifier)"
        }

        let environment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_STATE_HOME": state]
        try await TmuxSession.withSession([try AMQTopExecutable.path(), "--config", scratch + "/lab/amqtop.yaml"], environment: environment, width: 120, height: 40) { tmux in
            try await tmux.waitForScreen("the overview with the lab group and a master", deadline: .now + .seconds(20)) { screen in
                screen.split(separator: "\n").contains { $0.contains("▶ lab ") && $0.contains("* lab") }
            }
            try tmux.sendKeys("Enter")
            let groupView = try await tmux.waitForScreen("the group view with one master", deadline: .now + .seconds(20)) {
                DemoTmuxTests.brokerRoles(in: $0).values.filter { $0 == "* master" }.count == 1
            }
            let master = try #require(DemoTmuxTests.brokerRoles(in: groupView).first { $0.value == "* master" }?.key)
            let masterPid = try #require(Int32((try String(contentsOfFile: scratch + "/lab/\(master).pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
            if master == "lab2" { try tmux.sendKeys("j") }
            try await tmux.waitForScreen("\(master) selected") { ActionsAndHistoryTests.selectedBroker(in: $0) == master }

            try tmux.sendKeys("s")
            try await tmux.waitForScreen("the stop dialog for \(master)") { $0.contains("Stop \(master)?") && $0.contains("Type \(master) to confirm") }
            try tmux.type(master)
            try tmux.sendKeys("Enter")
            let wanted = Self.unwrapped(words)
            let refused = try await tmux.waitForScreen("the stop refused: \(words)", deadline: .now + .seconds(15)) {
                Self.unwrapped($0).contains(wanted)
            }
            #expect(!Self.unwrapped(refused).contains("ErrorDomain"), "\(refused)")
            #expect(!refused.contains("stop sent"), "\(refused)")
            // Nothing was sent: the master runs and stays master over the next polls.
            try tmux.sendKeys("Escape")
            try await Task.sleep(for: .seconds(2))
            #expect(kill(masterPid, 0) == 0, "\(master) (pid \(masterPid)) was stopped")
            let after = try await tmux.waitForScreen("\(master) still master", deadline: .now + .seconds(10)) {
                DemoTmuxTests.brokerRoles(in: $0)[master] == "* master"
            }
            #expect(!after.contains("Failover drill"), "a drill timeline started:\n\(after)")
            if obstacle == .unwritableAudit {
                var isDirectory: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: state + "/amqtop/audit.log", isDirectory: &isDirectory) && isDirectory.boolValue)
            }
            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus() == 0)
        }
        kill(lab.processIdentifier, SIGTERM)
        try await eventually(deadline: .now + .seconds(20), "the lab to stop") { !lab.isRunning }
    }

    /// The screen's text with every space, newline and border removed, so a message wrapped in a dialog can be searched.
    static func unwrapped(_ screen: String) -> String {
        String(screen.filter { !" \n│|─".contains($0) })
    }
}
