import AMQTopActions
import AMQTopCore

/// `amqtop drill` without the command line: find the master, stop it, watch until the verdict is final.
///
/// The stop goes through the same stop-then-audit path as the dashboard's, every look at
/// the group also goes to the history (so the takeover is recorded there as a failover
/// caused by a stop, with its phases), and every instant and wait is on the injected clock.
public struct DrillRunner: Sendable {
    /// How a drill ended.
    public enum Result: Sendable {
        /// No stop was sent, with why (no master, two masters).
        case notStarted(String)
        /// The stop was attempted; the timeline and the stop's report.
        case ran(DrillTimeline, StopReport)
    }

    private let prober: any GroupProbing
    private let stopper: any StopAction
    private let history: any HistorySink
    private let clock: any AppClock

    public init(prober: any GroupProbing, stopper: any StopAction, history: any HistorySink, clock: any AppClock) {
        self.prober = prober
        self.stopper = stopper
        self.history = history
        self.clock = clock
    }

    /// Runs one drill of `group`, looking at it every `cadenceMillis` (at least 100 ms) once the stop is out.
    public func run(group: GroupConfig, cadenceMillis: Int64) async -> Result {
        let before = await prober.probeGroup(group)
        let assessment = GroupAssessor.assess(group: group, observation: before, nowMillis: clock.nowMillis())
        _ = await history.observe(before, assessment: assessment, nowMillis: clock.nowMillis())
        guard let masterName = assessment.master, let master = group.broker(named: masterName) else {
            let why = assessment.masters.count > 1 ? "two masters (\(assessment.masters.joined(separator: ", "))): fix the split brain first" : "no master serves now"
            return .notStarted("cannot drill \(group.name): \(why)")
        }
        let report = await stopper.stop(group: group.name, broker: master)
        var drill = DrillTimeline(
            group: group.name, oldMaster: masterName, oldAcquiredAtMillis: before.lock?.acquiredAtMillis,
            stopSentAtMillis: report.sentAtMillis, expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
        guard report.outcome.wasSent else {
            drill.stopFailed("\(report.outcome.word): \(report.outcome.detail)")
            return .ran(drill, report)
        }
        await history.noteStop(group: group.name, broker: masterName, atMillis: report.sentAtMillis)
        let cadence = max(100, cadenceMillis)
        while !drill.verdict(nowMillis: clock.nowMillis()).isFinal {
            let started = clock.nowMillis()
            let observation = await prober.probeGroup(group)
            let now = clock.nowMillis()
            let verdict = GroupAssessor.assess(group: group, observation: observation, nowMillis: now)
            drill.observe(observation, assessment: verdict, nowMillis: now)
            _ = await history.observe(observation, assessment: verdict, nowMillis: now)
            do { try await clock.sleep(untilMillis: started + cadence) } catch { break }
        }
        return .ran(drill, report)
    }
}
