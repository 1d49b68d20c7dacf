import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The stop action, drills and the failover history end to end: the real `amqtop` (as a
/// command and as a dashboard in tmux) against a real three-broker ActiveMQ Classic group.
///
/// - The suite has its own group (`name: "actions"`): suites run in parallel and others kill
///   their masters, so a failover of theirs must never land in the middle of one of these.
///   Every test leaves that group as it found it (one master, two answering slaves), on
///   failure too, so the next test can reuse it instead of paying for three new JVMs.
/// - Every `amqtop` process of a test gets that test's own `XDG_STATE_HOME` (and an empty
///   `XDG_CONFIG_HOME`), so history and audit files are never shared between tests or with
///   the developer's own; where two dashboards share one, that is the point of the test.
/// - Figures worth watching are printed (`ActionsAndHistoryTests: ...`).
@Suite(
    .serialized,
    .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1")
)
struct ActionsAndHistoryTests {
    /// The suite's own group: Jolokia before the broker (slaves answer, `stop` goes through
    /// Jolokia), slaves retry the lock every second, the master checks it every two.
    static let groupOptions = ActiveMQGroupOptions(
        name: "actions", count: 3, lockKeepAlivePeriod: .seconds(2), lockAcquireSleepInterval: .seconds(1),
        jolokiaBeforeBroker: true)
    /// Short cadences keep the suite fast; the product's defaults are seconds.
    static let poll: Duration = .milliseconds(500)
    static let lockPoll: Duration = .milliseconds(250)
    static let timeout: Duration = .seconds(1)
    /// Tall enough that the group view has room for the history (or drill) panel under the lock and alerts.
    static let screenHeight = 40

    // MARK: amqtop drill

    @Test
    func drillStopsTheMasterThroughJolokiaAndRecordsAStopCausedFailover() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            let old = try group.broker(named: oldName)
            let before = try LockFileInspector.snapshot(group.lockFilePath)

            let startedAt = ContinuousClock.now
            let result = try await scratch.amqtop(["drill", group.options.name, "--yes", "--json"], deadline: .now + .seconds(90))
            let drillTook = ContinuousClock.now - startedAt
            #expect(result.exitCode == 0 && !result.terminatedBySignal, "amqtop drill exited \(result.exitCode):\n\(result.stdout)\n\(result.stderr)")
            let drill = try JSONDecoder().decode(DrillDocument.self, from: Data(result.stdout.utf8))

            // The harness's own view: the old JVM exited (Jolokia `stop`), another broker serves.
            try await eventually(deadline: .now + .seconds(30), "\(oldName)'s JVM to exit after the drill's stop") {
                !(await group.isRunning(old))
            }
            let newName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [oldName])
            let after = try LockFileInspector.snapshot(group.lockFilePath)

            #expect(drill.group == group.options.name)
            #expect(drill.oldMaster == oldName)
            #expect(drill.newMaster == newName)
            #expect(drill.lockTakenBy == newName)
            #expect(drill.verdict == "PASSED", "drill report:\n\(result.stdout)")
            #expect(after.timestampMillis != before.timestampMillis, "the lock file still holds the old master's timestamp")
            let lockAcquired = try #require(drill.phase("lockAcquired"), "no lockAcquired phase:\n\(result.stdout)")
            #expect(lockAcquired.atMillis == after.timestampMillis, "lockAcquired at \(String(describing: lockAcquired.atMillis)), lock file says \(after.timestampMillis)")
            // The phases happen in order (lock released may be unseen: a slave can take it at once).
            let ordered = ["stopSent", "oldMasterGone", "lockAcquired", "newMasterServing"].map { drill.phase($0)?.atMillis }
            #expect(ordered.allSatisfy { $0 != nil }, "a phase is missing:\n\(result.stdout)")
            let times = ["stopSent", "oldMasterGone", "lockReleased", "lockAcquired", "newMasterServing"].compactMap { drill.phase($0)?.atMillis }
            #expect(times == times.sorted(), "phases out of order: \(times)\n\(result.stdout)")
            // The serving phase names a serving signal, never the Slave=true of a waiting slave.
            let servingSignal = drill.phase("newMasterServing")?.signal
            #expect(servingSignal == "Slave=false" || servingSignal == "OpenWire open", "new master serving by \(servingSignal ?? "nothing")")
            #expect(drill.stopSentAtMillis == drill.phase("stopSent")?.atMillis)
            print("ActionsAndHistoryTests: drill \(oldName) -> \(newName): stop -> new master serving \(drill.newMasterAfterMillis.map { "\($0) ms" } ?? "?"), "
                + "stop -> lock acquired \(lockAcquired.afterStopMillis.map { "\($0) ms" } ?? "?"), "
                + "without master \(drill.timeWithoutMasterMillis.map { "\($0) ms" } ?? "?"), expected within \(drill.expectedWorstCaseFailoverMillis) ms; "
                + "whole amqtop drill run \(drillTook)")

            // The history holds the takeover once, caused by the stop.
            let history = try await scratch.history(group: group.options.name)
            #expect(history.failovers.count == 1, "failovers: \(history.failovers)")
            let event = try #require(history.failovers.first)
            #expect(event.from == oldName)
            #expect(event.to == newName)
            #expect(event.cause == "stop")
            #expect(event.phases.lockAcquired?.atMillis == after.timestampMillis)
            // The drill and the history read the same evidence with the same rules (issue #10:
            // 2.7 s in the drill, 3.9 s in the history for one stop): one figure, within a poll.
            let drillWithout = try #require(drill.timeWithoutMasterMillis, "drill without a time without master:\n\(result.stdout)")
            let historyWithout = try #require(event.timeWithoutMasterMillis, "history event without a time without master: \(event)")
            #expect(abs(drillWithout - historyWithout) <= Int64(Self.poll.components.seconds * 1000 + Self.poll.components.attoseconds / 1_000_000_000_000_000),
                    "drill \(drillWithout) ms vs history \(historyWithout) ms without master")
            let historyTimes = [event.phases.oldMasterGone, event.phases.lockFree, event.phases.lockAcquired, event.phases.newMasterServing].compactMap { $0?.atMillis }
            #expect(historyTimes == historyTimes.sorted(), "history phases out of order: \(event.phases)")
            print("ActionsAndHistoryTests: time without master: drill \(drillWithout) ms, history \(historyWithout) ms")

            // The audit log holds the intent, written before the stop, then the attempt, as sent through Jolokia.
            let audit = try await scratch.audit()
            #expect(audit.map(\.result) == ["intent", "sent"], "audit: \(audit)")
            let entry = try #require(audit.last)
            #expect(entry.group == group.options.name)
            #expect(entry.broker == oldName)
            #expect(entry.method == "jolokia")
            #expect(entry.result == "sent")
            #expect(FileManager.default.fileExists(atPath: "\(scratch.stateHome)/amqtop/audit.log"), "no audit log under XDG_STATE_HOME")
        }
    }

    /// A drill beside a dashboard that records the history: two processes, each sampling the
    /// brokers on its own schedule, give the same time without master for the one failover
    /// within one `poll`, and both keep their phases in time order (issue #10).
    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func aDrillAndADashboardBesideItAgreeOnTheTimeWithoutMaster() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            // The drill keeps its own history file, so the dashboard's record is the one compared.
            let drillConfig = "\(scratch.root)/amqtop-drill.yaml"
            let text = try String(contentsOfFile: scratch.configPath, encoding: .utf8)
            try ("history: \(scratch.root)/drill-history.db\n" + text).write(toFile: drillConfig, atomically: true, encoding: .utf8)
            try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { tmux in
                try await Self.openGroupView(tmux, group: group, master: oldName)
                let result = try await scratch.amqtop(["drill", group.options.name, "--yes", "--json"], config: drillConfig, deadline: .now + .seconds(90))
                #expect(result.exitCode == 0 && !result.terminatedBySignal, "amqtop drill exited \(result.exitCode):\n\(result.stdout)\n\(result.stderr)")
                let drill = try JSONDecoder().decode(DrillDocument.self, from: Data(result.stdout.utf8))
                #expect(drill.verdict == "PASSED", "drill report:\n\(result.stdout)")
                let history = try await eventuallyValue(deadline: .now + .seconds(30), "the dashboard's record of the failover, complete") {
                    let document = try await scratch.history(group: group.options.name)
                    return document.failovers.count == 1 && document.failovers.allSatisfy(\.complete) ? document : nil
                }
                let event = try #require(history.failovers.first)
                #expect(event.from == oldName && event.to == drill.newMaster, "\(event)")
                let drillWithout = try #require(drill.timeWithoutMasterMillis, "\(result.stdout)")
                let historyWithout = try #require(event.timeWithoutMasterMillis, "\(event)")
                let pollMillis = Int64(Self.poll.components.seconds * 1000 + Self.poll.components.attoseconds / 1_000_000_000_000_000)
                #expect(abs(drillWithout - historyWithout) <= pollMillis, "drill \(drillWithout) ms vs dashboard history \(historyWithout) ms without master")
                let drillTimes = ["stopSent", "oldMasterGone", "lockReleased", "lockAcquired", "newMasterServing"].compactMap { drill.phase($0)?.atMillis }
                #expect(drillTimes == drillTimes.sorted(), "drill phases out of order:\n\(result.stdout)")
                let historyTimes = [event.phases.oldMasterGone, event.phases.lockFree, event.phases.lockAcquired, event.phases.newMasterServing].compactMap { $0?.atMillis }
                #expect(historyTimes == historyTimes.sorted(), "history phases out of order: \(event.phases)")
                print("ActionsAndHistoryTests: drill beside a dashboard: time without master drill \(drillWithout) ms, dashboard history \(historyWithout) ms")
                try await Self.quitCleanly(tmux)
            }
        }
    }

    // MARK: History from the dashboard

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func killNineOfTheMasterIsRecordedAsACrashAndShownInTheHistoryPanel() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { tmux in
                try await Self.openGroupView(tmux, group: group, master: oldName)

                let killedAt = ContinuousClock.now
                let killedAtMillis = Self.wallClockMillis()
                try await group.kill9(try group.broker(named: oldName))
                let newName = try await group.waitForMaster(deadline: killedAt + .seconds(60), excluding: [oldName])
                let servedAt = ContinuousClock.now
                let screen = try await tmux.waitForScreen("the history panel listing \(oldName) -> \(newName) as a crash", deadline: killedAt + .seconds(60)) {
                    Self.historyRows(in: $0).contains(HistoryRow(from: oldName, to: newName, cause: "crash"))
                }
                let shownAt = ContinuousClock.now
                #expect(Self.historyRows(in: screen).count == 1, "history panel:\n\(screen)")

                // While the dashboard still runs, another process reads the same file: the
                // event is there at once, and complete (new master serving) soon after.
                #expect(try await scratch.history(group: group.options.name).failovers.count == 1)
                let history = try await eventuallyValue(deadline: .now + .seconds(30), "the failover recorded as complete") {
                    let document = try await scratch.history(group: group.options.name)
                    return document.failovers.allSatisfy(\.complete) ? document : nil
                }
                let lock = try LockFileInspector.snapshot(group.lockFilePath)
                #expect(history.failovers.count == 1, "failovers: \(history.failovers)")
                let event = try #require(history.failovers.first)
                #expect(event.from == oldName)
                #expect(event.to == newName)
                #expect(event.cause == "crash")
                #expect(event.phases.lockAcquired?.atMillis == lock.timestampMillis)
                print("ActionsAndHistoryTests: kill -9 of \(oldName): OpenWire of \(newName) after \(servedAt - killedAt); "
                    + "history panel row after \(shownAt - killedAt); record detected \(event.detectedAtMillis.map { "\($0 - killedAtMillis) ms" } ?? "?") after the kill; "
                    + "time without master \(event.timeWithoutMasterMillis.map { "\($0) ms" } ?? "?")")
                // The group view's timeline, from the history file: the crash marked, its gap measured.
                let timeline = try await tmux.waitForScreen("the timeline marking the crash", deadline: .now + .seconds(30)) { screen in
                    let lines = screen.split(separator: "\n").map(String.init)
                    guard let title = lines.firstIndex(where: { $0.contains("Who was master") }), title + 2 < lines.count else { return false }
                    return lines[title + 2].contains("x") && screen.contains("without master: 1 gap")
                }
                #expect(timeline.contains(" \(oldName)  ") && timeline.contains(" \(newName)  "), "legend:\n\(timeline)")
                try await Self.quitCleanly(tmux)
            }
        }
    }

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func twoDashboardsSharingOneHistoryFileRecordATakeoverOnce() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { first in
                try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { second in
                    try await Self.openGroupView(first, group: group, master: oldName)
                    try await Self.openGroupView(second, group: group, master: oldName)

                    let killedAt = ContinuousClock.now
                    try await group.kill9(try group.broker(named: oldName))
                    let newName = try await group.waitForMaster(deadline: killedAt + .seconds(60), excluding: [oldName])
                    // Both have seen the new master and have the takeover in their history panel:
                    // whatever each was going to record is in the file by now.
                    for (label, tmux) in [("first", first), ("second", second)] {
                        try await tmux.waitForScreen("the \(label) dashboard naming \(newName) master with \(oldName) -> \(newName) in its history", deadline: killedAt + .seconds(60)) {
                            Self.groupTitleMaster(in: $0) == newName
                                && Self.historyRows(in: $0).contains { $0.from == oldName && $0.to == newName }
                        }
                    }
                    print("ActionsAndHistoryTests: two dashboards: both listed \(oldName) -> \(newName) \(ContinuousClock.now - killedAt) after the kill")

                    let history = try await scratch.history(group: group.options.name)
                    let lock = try LockFileInspector.snapshot(group.lockFilePath)
                    let takeover = history.failovers.filter { $0.phases.lockAcquired?.atMillis == lock.timestampMillis || $0.to == newName }
                    #expect(takeover.count == 1, "the takeover was recorded \(takeover.count) times: \(history.failovers)")
                    #expect(history.failovers.count == 1, "failovers: \(history.failovers)")
                    let event = try #require(history.failovers.first)
                    #expect(event.from == oldName && event.to == newName && event.cause == "crash", "failover: \(event)")
                    #expect(history.groups.first { $0.group == group.options.name }?.failovers == 1)
                    try await Self.quitCleanly(second)
                }
                try await Self.quitCleanly(first)
            }
        }
    }

    // MARK: The stop dialog

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func stopDialogNeedsTheExactNameThenTheDrillTimelineFinishes() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            let old = try group.broker(named: oldName)
            let oldPid = try #require(await group.pid(of: old))
            let before = try LockFileInspector.snapshot(group.lockFilePath)
            try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { tmux in
                try await Self.openGroupView(tmux, group: group, master: oldName)
                try await Self.select(oldName, in: tmux, group: group)

                try tmux.sendKeys("s")
                // Wait for the whole dialog, not its title: a capture can land mid-paint.
                let dialog = try await tmux.waitForScreen("the stop dialog for \(oldName), fully drawn") {
                    $0.contains("Stop \(oldName)?") && $0.contains("Enter stops it, Esc cancels")
                }
                #expect(dialog.contains("group     \(group.options.name)"), "dialog:\n\(dialog)")
                #expect(dialog.contains("* master"), "the dialog names the role:\n\(dialog)")
                #expect(dialog.contains("should take over within"), "the dialog says what is expected:\n\(dialog)")
                #expect(dialog.contains("Type \(oldName) to confirm"), "dialog:\n\(dialog)")

                // A wrong name: a hint, and nothing is sent.
                let wrong = "nosuch"
                try tmux.type(wrong)
                try tmux.sendKeys("Enter")
                try await tmux.waitForScreen(containing: "type \(oldName) exactly to confirm")
                #expect(await group.isRunning(old), "\(oldName) stopped after a wrong name")
                #expect(group.brokersAcceptingOpenWire().map(\.name) == [oldName], "\(oldName) no longer the only master after a wrong name")
                #expect(try LockFileInspector.snapshot(group.lockFilePath).timestampMillis == before.timestampMillis)

                // The right name: the stop goes out.
                for _ in wrong { try tmux.sendKeys("BSpace") }
                try await tmux.waitForScreen("the typed name erased") { $0.contains("to confirm: _") }
                try tmux.type(oldName)
                try tmux.sendKeys("Enter")
                let sentScreen = try await tmux.waitForScreen(containing: "stop sent", deadline: .now + .seconds(15))
                let sentAt = ContinuousClock.now
                #expect(sentScreen.contains("the drill timeline is in the group view"), "dialog after the stop:\n\(sentScreen)")
                try tmux.sendKeys("Space")

                // The drill timeline takes the history slot: in progress, then passed.
                let first = try await tmux.waitForScreen("the drill panel for \(oldName)", deadline: .now + .seconds(15)) {
                    !$0.contains("Stop \(oldName)?") && $0.contains("Failover drill: stop \(oldName) at ")
                }
                let sawInProgress = Self.drillVerdict(in: first) == "IN PROGRESS"
                let passed = try await tmux.waitForScreen("the drill PASSED naming the new master", deadline: sentAt + .seconds(60)) {
                    Self.drillVerdict(in: $0) == "PASSED" && Self.drillNewMaster(in: $0) != nil
                }
                let passedAt = ContinuousClock.now
                let shownMaster = Self.drillNewMaster(in: passed)
                #expect(sawInProgress, "the first drill panel seen was not IN PROGRESS:\n\(first)")
                #expect(!passed.contains("FAILED") && !passed.contains("SLOW"), "drill panel:\n\(passed)")

                // The harness confirms: the old JVM exited, the master the panel names serves.
                try await eventually(deadline: .now + .seconds(30), "\(oldName) (pid \(oldPid)) to exit after the stop") {
                    !(await group.isRunning(old))
                }
                let newName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [oldName])
                #expect(shownMaster == newName, "the drill panel names \(shownMaster ?? "nobody"), the harness sees \(newName)")
                let timeline = passed.split(separator: "\n").drop { !$0.contains("Failover drill:") }.prefix(DrillPhaseCount.lines)
                print("ActionsAndHistoryTests: stop dialog: \"stop sent\" shown, PASSED naming \(shownMaster ?? "?") \(passedAt - sentAt) later; "
                    + "panel:\n\(timeline.joined(separator: "\n"))")
                // The panel's phases in time order (issue #10 saw `+421ms old master gone` above
                // `+171ms lock released`), and the serving phase named by a serving signal.
                let offsets = timeline.compactMap { line in
                    line.firstMatch(of: #/[│|] \+(\d+)(?:\.(\d))?(ms|s) /#).map { match -> Int64 in
                        let whole = Int64(match.output.1) ?? 0
                        let tenth = match.output.2.flatMap { Int64($0) } ?? 0
                        return match.output.3 == "ms" ? whole : whole * 1000 + tenth * 100
                    }
                }
                #expect(offsets.count >= 4 && offsets == offsets.sorted(), "panel phases out of order: \(offsets)\n\(timeline.joined(separator: "\n"))")
                let servingLine = timeline.first { $0.contains("new master serving") } ?? ""
                #expect(!servingLine.contains("Slave=true") && (servingLine.contains("Slave=false") || servingLine.contains("OpenWire open")), "\(servingLine)")
                try await Self.quitCleanly(tmux)
            }
            // The stop from the dashboard is audited too: its intent before it, then its outcome.
            let audit = try await scratch.audit()
            #expect(audit.map { "\($0.broker) \($0.result)" } == ["\(oldName) intent", "\(oldName) sent"], "audit: \(audit)")
        }
    }

    // MARK: Read-only

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func readOnlyRefusesTheStopKeyAndDrills() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let master = try await group.waitForMaster(deadline: .now + .seconds(30))
            let broker = try group.broker(named: master)
            let pid = try #require(await group.pid(of: broker))
            let before = try LockFileInspector.snapshot(group.lockFilePath)

            try await TmuxSession.withSession(try scratch.dashboard(["--read-only"]), environment: scratch.environment, height: Self.screenHeight) { tmux in
                try await Self.openGroupView(tmux, group: group, master: master)
                try await Self.select(master, in: tmux, group: group)
                try tmux.sendKeys("s")
                let screen = try await tmux.waitForScreen(containing: "read-only dashboard: actions are disabled")
                #expect(!screen.contains("Stop \(master)?") && !screen.contains("to confirm"), "a dialog opened:\n\(screen)")
                // Typing the name and Enter afterwards must not stop anything either.
                try tmux.type(master)
                try tmux.sendKeys("Enter")
                try await Self.quitCleanly(tmux)
            }

            // `readOnly: true` in the configuration: no drill, exit 3.
            let readOnly = try scratch.writeConfig(readOnly: true)
            let result = try await scratch.amqtop(["drill", group.options.name, "--yes", "--json"], config: readOnly, deadline: .now + .seconds(30))
            #expect(result.exitCode == 3 && !result.terminatedBySignal, "amqtop drill exited \(result.exitCode):\n\(result.stdout)\n\(result.stderr)")
            #expect(result.stderr.contains("read-only"), "stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")

            // Nothing was stopped: same JVM, still the only master, same lock tenure, nothing audited.
            #expect(await group.pid(of: broker) == pid, "\(master) (pid \(pid)) is no longer running")
            #expect(group.brokersAcceptingOpenWire().map(\.name) == [master])
            #expect(try LockFileInspector.snapshot(group.lockFilePath).timestampMillis == before.timestampMillis)
            #expect(try await scratch.audit().isEmpty)
        }
    }

    // MARK: kill -9 of the dashboard

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func historySurvivesAKillNineOfTheDashboardWhileItRecords() async throws {
        let group = try await Self.group()
        let scratch = try Scratch(group: group)
        defer { scratch.remove() }

        try await Self.restoringGroup(group) {
            let oldName = try await group.waitForMaster(deadline: .now + .seconds(30))
            try await TmuxSession.withSession(try scratch.dashboard(), environment: scratch.environment, height: Self.screenHeight) { tmux in
                try await Self.openGroupView(tmux, group: group, master: oldName)
                let amqtopPid = try #require(tmux.commandPid())
                #expect(Self.commandLine(of: amqtopPid).contains { $0.hasSuffix("/amqtop") }, "pid \(amqtopPid) is not amqtop")

                let killedAt = ContinuousClock.now
                try await group.kill9(try group.broker(named: oldName))
                // The moment the takeover shows, the dashboard is still recording its later phases.
                let screen = try await tmux.waitForScreen("the history panel listing a takeover from \(oldName)", deadline: killedAt + .seconds(60), pollInterval: .milliseconds(5)) {
                    Self.historyRows(in: $0).contains { $0.from == oldName }
                }
                kill(amqtopPid, SIGKILL)
                let shown = try #require(Self.historyRows(in: screen).first)
                print("ActionsAndHistoryTests: dashboard SIGKILLed \(ContinuousClock.now - killedAt) after the master's kill -9, "
                    + "showing \(shown.from) -> \(shown.to) \(shown.cause)")
                #expect(try await tmux.exitStatus() == 128 + SIGKILL)

                let newName = try await group.waitForMaster(deadline: killedAt + .seconds(60), excluding: [oldName])
                // The file opens (no corrupt-file notice, nothing set aside) and holds what was shown.
                let result = try await scratch.amqtop(["history", "--json", "--group", group.options.name], deadline: .now + .seconds(30))
                #expect(result.exitCode == 0, "amqtop history exited \(result.exitCode): \(result.stderr)")
                #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
                let history = try JSONDecoder().decode(HistoryDocument.self, from: Data(result.stdout.utf8))
                #expect(history.failovers.count == 1, "failovers: \(history.failovers)")
                let event = try #require(history.failovers.first)
                #expect(event.from == oldName)
                #expect(event.to == newName, "recorded to \(event.to ?? "nil"), the harness sees \(newName)")
                // Killed this early, the dashboard may not yet have seen the old master down (the
                // lock moves first), so "unknown" is as right as "crash" here (a refinement may
                // also have been committed after the screen was read); the crash cause itself is
                // checked in the test above.
                #expect(["crash", "unknown"].contains(event.cause), "recorded cause \(event.cause)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(scratch.stateHome)/amqtop")
                #expect(leftovers.allSatisfy { $0.hasPrefix("history.sqlite") && !$0.contains("corrupt") }, "state directory: \(leftovers)")
                // And the text report opens it too.
                let text = try await scratch.amqtop(["history"], deadline: .now + .seconds(30))
                #expect(text.exitCode == 0 && text.stdout.contains(oldName), "amqtop history:\n\(text.stdout)\n\(text.stderr)")
                // The timeline for a postmortem: the takeover's mark on the strip, the legend naming both brokers.
                let timeline = try await scratch.amqtop(["history", "--timeline", "--window", "1h"], deadline: .now + .seconds(30))
                #expect(timeline.exitCode == 0, "amqtop history --timeline exited \(timeline.exitCode): \(timeline.stderr)")
                let strip = timeline.stdout.split(separator: "\n").dropFirst(2).first.map(String.init) ?? ""
                #expect(strip.count == 72 && (strip.contains("x") || strip.contains("?")), "strip: \(strip)\n\(timeline.stdout)")
                #expect(timeline.stdout.contains("failovers: 1") && timeline.stdout.contains("\(oldName) -> \(newName)"), "\(timeline.stdout)")
                #expect(timeline.stdout.contains(" \(oldName)") && timeline.stdout.contains("legend: A "), "\(timeline.stdout)")
            }
        }
    }

    // MARK: Group handling

    /// The suite's group, started on first use and shared by its tests.
    static func group() async throws -> ActiveMQGroup {
        try await SharedActiveMQGroups.shared.group(groupOptions)
    }

    /// Runs `body`, then (also when it throws) brings every stopped broker back and waits
    /// for one master and answering slaves, so the next test finds the group as this one did.
    static func restoringGroup(_ group: ActiveMQGroup, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try? await restore(group)
            throw error
        }
        try await restore(group)
    }

    /// Restarts every broker whose JVM is gone and waits until exactly one serves and the
    /// others answer `Slave=true`.
    static func restore(_ group: ActiveMQGroup) async throws {
        for broker in group.brokers where !(await group.isRunning(broker)) {
            // A JVM that exited on its own (a Jolokia stop) is still the group's process entry
            // and its pid still registered for the reaper: forget both before starting anew.
            try? await group.kill9(broker)
            try await group.start(broker)
        }
        try await eventually(deadline: .now + .seconds(90), "one master in \(group.options.name), the other brokers answering Slave=true") {
            let masters = group.brokersAcceptingOpenWire()
            guard masters.count == 1 else { return false }
            for broker in group.brokers where broker.name != masters[0].name {
                guard await JolokiaTestClient(baseURL: broker.jolokiaURL).slaveFlag(brokerName: broker.name) == true else { return false }
            }
            return true
        }
    }

    // MARK: Screen helpers

    /// Waits for the overview naming `master`, presses Enter, and waits for the group view:
    /// `master` master, the others slaves, the history panel (empty: a fresh history file).
    static func openGroupView(_ tmux: TmuxSession, group: ActiveMQGroup, master: String) async throws {
        let name = group.options.name
        try await tmux.waitForScreen("the overview naming \(master) master of \(name)", deadline: .now + .seconds(20)) {
            overviewRow(of: name, in: $0)?.contains("* \(master)") == true
        }
        try tmux.sendKeys("Enter")
        try await tmux.waitForScreen("the group view: \(master) master, the others slaves, an empty history", deadline: .now + .seconds(20)) { screen in
            let roles = brokerRoles(in: screen)
            return roles[master] == "* master"
                && group.brokers.filter { $0.name != master }.allSatisfy { roles[$0.name] == "+ slave" }
                && screen.contains("Failover history") && screen.contains("no failovers recorded yet")
        }
        // The history credits a master only once a lock read newer than its serving answer
        // confirms the tenure (so a lagging lock read cannot pin a new master on the old
        // tenure). A master killed within that first lock period would be recorded with an
        // unknown old master: let two more poll rounds pass before a test kills anything.
        for _ in 0..<2 {
            let before = lastPoll(in: try tmux.capture())
            try await tmux.waitForScreen("a later complete poll round", deadline: .now + .seconds(10)) { lastPoll(in: $0) != before }
        }
    }

    /// The header's "last poll HH:MM:SS", or nil before the first round.
    static func lastPoll(in screen: String) -> String? {
        guard let range = screen.range(of: "last poll ") else { return nil }
        return String(screen[range.upperBound...].prefix(8))
    }

    /// Moves the group view's selection down to `broker` (the cursor starts on the first row).
    static func select(_ broker: String, in tmux: TmuxSession, group: ActiveMQGroup) async throws {
        let index = try #require(group.brokers.firstIndex { $0.name == broker })
        for _ in 0..<index { try tmux.sendKeys("j") }
        try await tmux.waitForScreen("\(broker) selected") { selectedBroker(in: $0) == broker }
    }

    /// Presses `q`; amqtop must exit 0.
    static func quitCleanly(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try tmux.sendKeys("q")
        #expect(try await tmux.exitStatus() == 0, "exit status after q", sourceLocation: sourceLocation)
    }

    /// The first line of `screen` for which `predicate` holds.
    static func line(in screen: String, where predicate: (String) -> Bool) -> String? {
        screen.split(separator: "\n").map(String.init).first(where: predicate)
    }

    /// The drill panel's height: its title, five phases and the verdict.
    enum DrillPhaseCount {
        static let lines = 7
    }

    /// The overview's row of `group`: `│▶ NAME   STATUS  * MASTER ...`.
    static func overviewRow(of group: String, in screen: String) -> String? {
        line(in: screen) { $0.firstMatch(of: #/^[│|](?:▶|>| ) (\S+) /#).map { String($0.output.1) } == group }
    }

    /// Each broker row's role label in the group view's table, e.g. `["b1": "* master"]`.
    static func brokerRoles(in screen: String) -> [String: String] {
        var roles: [String: String] = [:]
        for line in screen.split(separator: "\n") {
            if let match = String(line).firstMatch(of: #/^[│|](?:▶|>| ) (\S+) +([*+x?] (?:master|slave|down|unknown))\b/#) {
                roles[String(match.output.1)] = String(match.output.2)
            }
        }
        return roles
    }

    /// The broker row carrying the selection marker.
    static func selectedBroker(in screen: String) -> String? {
        for line in screen.split(separator: "\n") {
            if let match = String(line).firstMatch(of: #/^[│|](?:▶|>) (\S+) +[*+x?] (?:master|slave|down|unknown)\b/#) {
                return String(match.output.1)
            }
        }
        return nil
    }

    /// The master the group view's title names (`Group NAME  OK  master * b2`).
    static func groupTitleMaster(in screen: String) -> String? {
        guard let title = line(in: screen, where: { $0.hasPrefix("Group ") }),
            let match = title.firstMatch(of: #/ master \* (\S+)/#)
        else { return nil }
        return String(match.output.1)
    }

    /// One row of the group view's history panel.
    struct HistoryRow: Equatable, CustomStringConvertible {
        var from: String
        var to: String
        var cause: String
        var description: String { "\(from) -> \(to) (\(cause))" }
    }

    /// The history panel's rows: `2025-05-01 12:00:03  b1  b2  2.6s  1.1s  crash`.
    static func historyRows(in screen: String) -> [HistoryRow] {
        screen.split(separator: "\n").compactMap { line in
            guard let match = String(line).firstMatch(of: #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\S+) +(\S+) +.*?\b(crash|stop|unknown) *[│|]/#) else { return nil }
            return HistoryRow(from: String(match.output.1), to: String(match.output.2), cause: String(match.output.3))
        }
    }

    /// The drill panel's verdict word: IN PROGRESS, PASSED, SLOW or FAILED.
    static func drillVerdict(in screen: String) -> String? {
        guard let verdict = line(in: screen, where: { $0.contains("verdict ") }),
            let match = verdict.firstMatch(of: #/verdict (IN PROGRESS|PASSED|SLOW|FAILED)/#)
        else { return nil }
        return String(match.output.1)
    }

    /// The broker the drill panel's "new master serving: X" line names.
    static func drillNewMaster(in screen: String) -> String? {
        guard let match = screen.firstMatch(of: #/new master serving: (\S+)/#) else { return nil }
        return String(match.output.1)
    }

    /// The words of `/proc/PID/cmdline`.
    static func commandLine(of pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Wall-clock milliseconds since the epoch, the unit of the history's instants.
    static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

// MARK: - Per-test files

extension ActionsAndHistoryTests {
    /// One test's own files: a state home (history and audit), an empty config home and the
    /// group's `amqtop.yaml`, with the environment that points `amqtop` at them.
    struct Scratch: Sendable {
        let root: String
        /// `XDG_STATE_HOME` of every amqtop this test starts.
        let stateHome: String
        /// An empty `XDG_CONFIG_HOME`, so no developer's config.yaml is read.
        let configHome: String
        /// The group's configuration with the suite's short cadences.
        let configPath: String
        let group: ActiveMQGroup

        init(group: ActiveMQGroup) throws {
            root = NSTemporaryDirectory() + "/amqtop-actions-\(UUID().uuidString.prefix(8))"
            stateHome = "\(root)/state"
            configHome = "\(root)/config"
            configPath = "\(root)/amqtop.yaml"
            self.group = group
            for directory in [stateHome, configHome] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            ProcessReaper.shared.removeAtExit(root)
            _ = try writeConfig(readOnly: false)
        }

        /// Writes the group's config (`readOnly: true` added when asked) and returns its path.
        func writeConfig(readOnly: Bool) throws -> String {
            let path = readOnly ? "\(root)/amqtop-read-only.yaml" : configPath
            try group.writeAMQTopConfig(
                to: path, poll: ActionsAndHistoryTests.poll, lockPoll: ActionsAndHistoryTests.lockPoll,
                timeout: ActionsAndHistoryTests.timeout)
            if readOnly {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                try ("readOnly: true\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
            }
            return path
        }

        /// The variables every amqtop of this test gets (tmux adds them to its own environment).
        var environment: [String: String] {
            ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        }

        /// The dashboard's command line on this test's config.
        func dashboard(_ extra: [String] = []) throws -> [String] {
            [try AMQTopExecutable.path()] + extra + ["--config", configPath]
        }

        /// Runs `amqtop ARGUMENTS --config CONFIG` in `root` with this test's environment.
        func amqtop(_ arguments: [String], config: String? = nil, deadline: ContinuousClock.Instant) async throws -> CommandResult {
            let needsConfig = !["history", "audit"].contains(arguments.first ?? "")
            return try await AMQTopExecutable.run(
                arguments + (needsConfig ? ["--config", config ?? configPath] : []), deadline: deadline,
                environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, currentDirectory: root)
        }

        /// `amqtop history --json --group GROUP` from the default location under `XDG_STATE_HOME`.
        func history(group name: String) async throws -> HistoryDocument {
            let result = try await amqtop(["history", "--json", "--group", name], deadline: .now + .seconds(30))
            guard result.exitCode == 0 else {
                throw HarnessError.launch("amqtop history exited \(result.exitCode): \(result.stderr)")
            }
            return try JSONDecoder().decode(HistoryDocument.self, from: Data(result.stdout.utf8))
        }

        /// `amqtop audit --json` from the default location under `XDG_STATE_HOME`.
        func audit() async throws -> [AuditRecord] {
            let result = try await amqtop(["audit", "--json"], deadline: .now + .seconds(30))
            guard result.exitCode == 0 else {
                throw HarnessError.launch("amqtop audit exited \(result.exitCode): \(result.stderr)")
            }
            return try JSONDecoder().decode([AuditRecord].self, from: Data(result.stdout.utf8))
        }

        /// Removes everything (unless `AMQTOP_KEEP_ACTIVEMQ_DIRS=1`, to look at the files).
        func remove() {
            guard !ActiveMQInstallation.keepDirectories else { return }
            try? FileManager.default.removeItem(atPath: root)
            ProcessReaper.shared.forgetDirectory(root)
        }
    }

    // MARK: The JSON the commands print

    /// `amqtop drill --json`.
    struct DrillDocument: Decodable {
        struct Phase: Decodable {
            let phase: String
            let atMillis: Int64?
            let afterStopMillis: Int64?
            let signal: String?
        }

        let group: String
        let oldMaster: String
        let newMaster: String?
        let lockTakenBy: String?
        let stopSentAtMillis: Int64
        let verdict: String
        let newMasterAfterMillis: Int64?
        let timeWithoutMasterMillis: Int64?
        let expectedWorstCaseFailoverMillis: Int64
        let phases: [Phase]

        /// The phase called `name` (e.g. `lockAcquired`).
        func phase(_ name: String) -> Phase? { phases.first { $0.phase == name } }
    }

    /// `amqtop history --json`.
    struct HistoryDocument: Decodable {
        struct Stamp: Decodable, Equatable, CustomStringConvertible {
            let atMillis: Int64
            let signal: String
            var description: String { "\(atMillis) (\(signal))" }
        }

        struct Phases: Decodable, Equatable {
            let oldMasterGone: Stamp?
            let lockFree: Stamp?
            let lockAcquired: Stamp?
            let newMasterServing: Stamp?
        }

        struct Failover: Decodable, Equatable, CustomStringConvertible {
            let group: String
            let key: String
            let from: String?
            let to: String?
            let cause: String
            /// `live`, `log` or `live+log`: who recorded it.
            let source: String
            /// The cause in a sentence, from a broker's log.
            let causeDetail: String?
            let complete: Bool
            let timeWithoutMasterMillis: Int64?
            let detectedAtMillis: Int64?
            let phases: Phases
            var description: String {
                "\(group) \(from ?? "?") -> \(to ?? "?") \(cause) key \(key) lock \(phases.lockAcquired?.description ?? "-")"
            }
        }

        struct GroupStatistics: Decodable {
            let group: String
            let failovers: Int
        }

        let failovers: [Failover]
        let groups: [GroupStatistics]
    }

    /// One entry of `amqtop audit --json`.
    struct AuditRecord: Decodable, CustomStringConvertible {
        let atMillis: Int64
        let user: String
        let group: String
        let broker: String
        let method: String
        let result: String
        let detail: String
        var description: String { "\(group)/\(broker) \(method) \(result): \(detail)" }
    }
}
