import AMQTopActions
import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import ArgumentParser
import Foundation

/// `amqtop drill GROUP --yes`: stop the group's master on purpose and time the takeover.
///
/// The same drill the dashboard runs after a stop, without the screen: stop the current
/// master by its configured method, watch the lock file and the brokers until a new
/// master serves (or the expected worst case has clearly passed), print the timeline.
/// Exit 0 when a new master served within `lockAcquireSleepInterval + lockKeepAlivePeriod
/// + startTime`, 2 when not, 3 when the drill could not start.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Stop a group's master on purpose and report the failover (exit 0 within bound, 2 not).")

    @Argument(help: "The group whose master is stopped.")
    var groupName: String

    @Flag(name: .long, help: "Confirm: this really stops the group's master.")
    var yes = false

    @Flag(name: .long, help: "One JSON document instead of the timeline.")
    var json = false

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.resolveOrExit()
        guard let group = config.group(named: groupName) else {
            throw fail("no group named \(groupName) (groups: \(config.groups.map(\.name).joined(separator: ", ")))")
        }
        guard !config.readOnly else { throw fail("the configuration is read-only (readOnly: true): no drills") }
        guard yes else { throw fail("a drill stops the master of \(group.name); add --yes to confirm") }
        // The drill's stop runs on this host; a master on another host must be stopped there.
        guard group.hostNames.isEmpty else { throw fail("drills of groups on other hosts (host:) are not supported yet") }

        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        let executor = StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis))
        let history = HistoryRecorder(path: HistoryLocation.resolve(configured: config.historyPath))
        let result = await Self.drill(group: group, config: config, prober: prober, executor: executor, history: history)
        for notice in await history.takeNotices() {
            FileHandle.standardError.write(Data("amqtop drill: history: \(notice)\n".utf8))
        }
        await http.shutdown()
        switch result {
        case .notStarted(let why):
            throw fail(why)
        case .ran(let drill, let broker, let outcome):
            if let broker {
                do {
                    try AuditLog(path: AuditLog.defaultPath()).append(.stop(group: group.name, broker: broker, outcome: outcome, atMillis: drill.stopSentAtMillis))
                } catch {
                    // The stop happened either way; say that its audit line is missing.
                    FileHandle.standardError.write(Data("amqtop drill: audit log not written: \(error)\n".utf8))
                }
            }
            let now = TimeFormat.nowMillis()
            let report = json ? DrillReport.json(drill, nowMillis: now).serialized() + "\n" : DrillReport.text(drill, nowMillis: now)
            FileHandle.standardOutput.write(Data(report.utf8))
            switch drill.verdict(nowMillis: now) {
            case .passed: return
            default: throw ExitCode(2)
            }
        }
    }

    enum Result {
        case notStarted(String)
        case ran(DrillTimeline, stopped: BrokerConfig?, outcome: StopOutcome)
    }

    /// Runs one drill: find the master, stop it, watch until the verdict is final.
    ///
    /// Every look at the group also goes to the history, so the takeover is recorded there
    /// as a failover caused by a stop, with its phases.
    static func drill(group: GroupConfig, config: AppConfig, prober: GroupProber, executor: StopExecutor, history: HistoryRecorder) async -> Result {
        let before = await prober.probeGroup(group)
        let assessment = GroupAssessor.assess(group: group, observation: before, nowMillis: TimeFormat.nowMillis())
        await history.observe(before, assessment: assessment, nowMillis: TimeFormat.nowMillis())
        guard let masterName = assessment.master, let master = group.broker(named: masterName) else {
            let why = assessment.masters.count > 1 ? "two masters (\(assessment.masters.joined(separator: ", "))): fix the split brain first" : "no master serves now"
            return .notStarted("cannot drill \(group.name): \(why)")
        }
        let sentAt = TimeFormat.nowMillis()
        let outcome = await executor.stop(master)
        var drill = DrillTimeline(
            group: group.name, oldMaster: masterName, oldAcquiredAtMillis: before.lock?.acquiredAtMillis,
            stopSentAtMillis: sentAt, expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
        guard outcome.wasSent else {
            drill.stopFailed("\(outcome.word): \(outcome.detail)")
            return .ran(drill, stopped: master, outcome: outcome)
        }
        await history.noteStop(group: group.name, broker: masterName, atMillis: sentAt)
        let cadence = max(100, min(config.lockPollMillis, config.pollMillis))
        while !drill.verdict(nowMillis: TimeFormat.nowMillis()).isFinal {
            let started = TimeFormat.nowMillis()
            let observation = await prober.probeGroup(group)
            let now = TimeFormat.nowMillis()
            let verdict = GroupAssessor.assess(group: group, observation: observation, nowMillis: now)
            drill.observe(observation, assessment: verdict, nowMillis: now)
            await history.observe(observation, assessment: verdict, nowMillis: now)
            let spent = now - started
            if spent < cadence { try? await Task.sleep(for: .milliseconds(cadence - spent)) }
        }
        return .ran(drill, stopped: master, outcome: outcome)
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("amqtop drill: \(message)\n".utf8))
        return ExitCode(ExitCodes.unknown)
    }
}
