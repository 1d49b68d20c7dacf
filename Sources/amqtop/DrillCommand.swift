import AMQTopActions
import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import AMQTopRemote
import AMQTopRuntime
import ArgumentParser
import Foundation

/// `amqtop drill GROUP --yes`: stop the group's master on purpose and time the takeover.
///
/// The same drill the dashboard runs after a stop, without the screen: `DrillRunner`
/// (AMQTopRuntime) stops the current master through the dashboard's stop-then-audit path
/// (on the master's own host when it has a `host:`),
/// watches the lock file and the brokers until a new master serves (or the expected worst
/// case has clearly passed); this command prints the timeline.
/// Exit 0 when a new master served within `lockAcquireSleepInterval + lockKeepAlivePeriod
/// + startTime`, 2 when not, 3 when the drill could not start (among them: the stop was
/// refused because its audit line could not be written, or another amqtop action holds the
/// group's lock).
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
        // One action per group across processes: held from before the first look at the
        // group until the verdict, so a second drill cannot stop the new master meanwhile.
        let groupLock: GroupActionLock
        do {
            groupLock = try GroupActionLock.acquire(group: group.name, directory: GroupActionLock.defaultDirectory())
        } catch {
            throw fail("the master of \(group.name) was not stopped: \(error)")
        }
        defer { groupLock.release() }

        let clock = SystemClock()
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let history = HistoryRecorder(path: HistoryLocation.resolve(configured: config.historyPath), guarding: HistoryFileGuard(config: config))
        // Brokers on other hosts are probed and stopped there, through one connection per host.
        let remote: RemoteAwareProber
        do {
            remote = try RemoteAwareProber.make(config: config, http: http, clock: clock)
        } catch {
            await http.shutdown()
            throw fail("\(error)")
        }
        await remote.connect(timeoutMillis: config.timeoutMillis)
        let runner = DrillRunner(
            prober: remote.prober,
            stopper: StopAndAudit(
                stopper: remote.stopRouter(local: StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis))),
                audit: AuditLog(path: AuditLog.defaultPath()), clock: clock, locking: .held(groupLock)),
            history: history, clock: clock)
        let result = await runner.run(group: group, cadenceMillis: min(config.lockPollMillis, config.pollMillis))
        await remote.close()
        for notice in await history.takeNotices() {
            StandardError.line("amqtop drill: history: \(notice)")
        }
        await http.shutdown()
        switch result {
        case .notStarted(let why):
            throw fail(why)
        case .ran(_, let stop) where stop.outcome.wasRefused:
            // Refused before acting (no audit line could be written, no pid file, ...): the master still serves.
            throw fail("the master of \(group.name) was not stopped: \(stop.outcome.detail)")
        case .ran(let drill, let stop):
            if let problem = stop.auditProblem {
                // The stop happened either way; say that its audit line is missing.
                StandardError.line("amqtop drill: audit log not written: \(problem)")
            }
            let now = clock.nowMillis()
            let report = json ? DrillReport.json(drill, nowMillis: now).serialized() + "\n" : DrillReport.text(drill, nowMillis: now)
            StandardOutput.write(report)
            switch drill.verdict(nowMillis: now) {
            case .passed: return
            default: throw ExitCode(2)
            }
        }
    }

    private func fail(_ message: String) -> ExitCode {
        StandardError.line("amqtop drill: \(message)")
        return ExitCode(ExitCodes.unknown)
    }
}
