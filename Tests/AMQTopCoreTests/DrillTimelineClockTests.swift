import Testing
@testable import AMQTopCore

/// A drill fed with a caller's clock that lags the stop (the dashboard's tick-driven
/// `nowMillis`): no phase but the lock file's own timestamp may be dated before the stop.
struct DrillTimelineClockTests {
    typealias S = Fixtures.Signals

    /// Found by ActionsAndHistoryTests: a dashboard drill showed "without master 2.9s" for
    /// "new master in 2.6s", because the lock was already taken when the stop's answer came
    /// back and "old master gone" took the lagging screen clock.
    @Test func aLaggingClockNeverDatesTheOldMasterGoneBeforeTheStop() {
        let group = Fixtures.group()
        let t0 = Fixtures.now
        var drill = DrillTimeline(
            group: "orders", oldMaster: "b1", oldAcquiredAtMillis: Fixtures.acquired, stopSentAtMillis: t0,
            expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
        // The first look after the stop returned: b2 holds the lock (acquired 700 ms after the
        // stop, the lock is polled more often than the brokers), while the old master's last
        // answers predate the stop; the clock passed in is 300 ms older than the stop.
        var taken = Fixtures.lock(holder: .pid(102), acquiredAt: t0 + 700)
        taken.atMillis = t0 + 800
        var lastSeen = S.master(pid: 101)
        lastSeen.at = t0 - 200
        let observation = Fixtures.observe([lastSeen, .silentSlave(pid: 102), .slave(pid: 103)], lock: taken)
        drill.observe(observation, assessment: GroupAssessor.assess(group: group, observation: observation, nowMillis: t0 - 300), nowMillis: t0 - 300)
        #expect(drill.offset(of: .lockAcquired) == 700)
        #expect(drill.offset(of: .oldMasterGone).map { $0 >= 0 } == true, "old master gone at \(String(describing: drill.offset(of: .oldMasterGone)))")

        var serving = S.master(pid: 102)
        serving.at = t0 + 2600
        let later = Fixtures.observe([.dead(pid: 101), serving, .slave(pid: 103)], lock: taken)
        drill.observe(later, assessment: GroupAssessor.assess(group: group, observation: later, nowMillis: t0 + 2700), nowMillis: t0 + 2700)
        #expect(drill.verdict(nowMillis: t0 + 3000) == .passed(tookMillis: 2600))
        let without = drill.timeWithoutMasterMillis ?? .max
        #expect(without <= 2600, "time without master \(without) ms is longer than the takeover (2600 ms)")
    }
}
