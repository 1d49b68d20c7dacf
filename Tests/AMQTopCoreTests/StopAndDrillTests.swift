import Testing
@testable import AMQTopCore

/// The stop dialog's keys and the drill timeline, without any I/O: keystrokes in, effects out.
struct StopAndDrillTests {
    typealias S = Fixtures.Signals

    /// A dashboard state in the group view of a healthy group (b1 master), b1 selected.
    func groupViewState(readOnly: Bool = false, brokers: [S] = [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)]) -> AppState {
        var config = AppConfig(groups: [Fixtures.group()])
        config.readOnly = readOnly
        var state = AppState(config: config, nowMillis: Fixtures.now)
        let observation = Fixtures.observe(brokers, lock: Fixtures.lock(holder: .pid(101)))
        _ = Reducer.reduce(&state, .lockSnapshot(group: "orders", observation.lock ?? Fixtures.lock(holder: .free)))
        for broker in observation.brokers { _ = Reducer.reduce(&state, .brokerObservation(group: "orders", broker)) }
        _ = Reducer.reduce(&state, .key(.enter))
        return state
    }

    func type(_ text: String, into state: inout AppState) -> [Effect] {
        text.flatMap { Reducer.reduce(&state, .key(.character($0))) }
    }

    @Test func sOpensADialogThatShowsThePlan() throws {
        var state = groupViewState()
        #expect(Reducer.reduce(&state, .key(.character("s"))).isEmpty)
        let dialog = try #require(state.stopDialog)
        #expect(dialog.plan.broker == "b1" && dialog.plan.role == .master)
        #expect(dialog.plan.expectation == "one of b2, b3 should take over within ~8s")
        #expect(dialog.plan.warning == nil)
        #expect(dialog.plan.method == .jolokia)
    }

    @Test func enterDoesNothingUntilTheNameIsTyped() {
        var state = groupViewState()
        _ = Reducer.reduce(&state, .key(.character("s")))
        #expect(Reducer.reduce(&state, .key(.enter)).isEmpty, "a stray Enter must never stop a master")
        #expect(state.stopDialog?.hint?.contains("type b1 exactly") == true)
        #expect(type("b2", into: &state).isEmpty)
        #expect(Reducer.reduce(&state, .key(.enter)).isEmpty)
        _ = Reducer.reduce(&state, .key(.backspace))
        _ = type("1", into: &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [.stopBroker(group: "orders", broker: "b1")])
        #expect(state.stopDialog?.phase == .sending)
    }

    @Test func escCancelsAndKeysDoNotLeakToTheDashboard() {
        var state = groupViewState()
        _ = Reducer.reduce(&state, .key(.character("s")))
        // "q" typed into the dialog is text, not quit.
        #expect(type("q", into: &state).isEmpty)
        #expect(state.stopDialog?.typed == "q")
        #expect(Reducer.reduce(&state, .key(.escape)).isEmpty)
        #expect(state.stopDialog == nil)
        #expect(state.statusMessage == "stop cancelled")
        #expect(state.view == .group("orders"))
    }

    @Test func readOnlyRefuses() {
        var state = groupViewState(readOnly: true)
        #expect(Reducer.reduce(&state, .key(.character("s"))).isEmpty)
        #expect(state.stopDialog == nil)
        #expect(state.statusMessage?.contains("read-only") == true)
    }

    @Test func stoppingASlaveOrTheLastBrokerWarnsLouder() throws {
        var state = groupViewState()
        _ = Reducer.reduce(&state, .key(.down))
        _ = Reducer.reduce(&state, .key(.character("s")))
        let slave = try #require(state.stopDialog?.plan)
        #expect(slave.role == .slave && slave.warning?.contains("only removes a standby") == true)
        #expect(slave.expectation == "no failover: b1 stays master")

        var lonely = groupViewState(brokers: [.master(pid: 101), .dead(pid: 102), .dead(pid: 103)])
        _ = Reducer.reduce(&lonely, .key(.character("s")))
        let last = try #require(lonely.stopDialog?.plan)
        #expect(last.warning?.contains("LAST BROKER STANDING") == true)
        #expect(last.expectation.contains("nobody can take over"))
    }

    @Test func outcomeClosesIntoTheStatusLineAndStartsADrill() throws {
        var state = groupViewState()
        _ = Reducer.reduce(&state, .key(.character("s")))
        _ = type("b1", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .stopFinished(group: "orders", broker: "b1", outcome: .sent("ok"), sentAtMillis: Fixtures.now))
        #expect(state.stopDialog?.phase == .finished(.sent("ok")))
        #expect(state.statusMessage == "stop b1: sent (ok)")
        let drill = try #require(state.drills["orders"])
        #expect(drill.oldMaster == "b1" && drill.oldAcquiredAtMillis == Fixtures.acquired)
        #expect(drill.verdict(nowMillis: Fixtures.now + 1000) == .inProgress(elapsedMillis: 1000))
        _ = Reducer.reduce(&state, .key(.character("x")))
        #expect(state.stopDialog == nil)
    }

    @Test func failedStopStartsNoDrill() {
        var state = groupViewState()
        _ = Reducer.reduce(&state, .key(.character("s")))
        _ = type("b1", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .stopFinished(group: "orders", broker: "b1", outcome: .failed("HTTP 500"), sentAtMillis: Fixtures.now))
        #expect(state.drills.isEmpty)
        #expect(state.statusMessage == "stop b1: failed (HTTP 500)")
    }

    /// The drill fed a takeover, step by step, as the probes would see it.
    @Test func drillRecordsEachPhaseFromItsOwnSignal() {
        let group = Fixtures.group()
        let t0 = Fixtures.now
        var drill = DrillTimeline(group: "orders", oldMaster: "b1", oldAcquiredAtMillis: Fixtures.acquired, stopSentAtMillis: t0, expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
        func feed(_ brokers: [S], _ lock: LockFileSnapshot, at now: Int64) {
            let observation = Fixtures.observe(brokers, lock: lock)
            drill.observe(observation, assessment: GroupAssessor.assess(group: group, observation: observation, nowMillis: now), nowMillis: now)
        }
        // Old master still serving: nothing yet.
        feed([.master(pid: 101), .slave(pid: 102), .slave(pid: 103)], Fixtures.lock(holder: .pid(101)), at: t0 + 100)
        #expect(drill.offset(of: .oldMasterGone) == nil)
        // Its JVM is gone, the lock free for a moment.
        var gone = S.dead(pid: 101)
        gone.at = t0 + 400
        var freeLock = Fixtures.lock(holder: .free)
        freeLock.atMillis = t0 + 450
        feed([gone, .silentSlave(pid: 102), .silentSlave(pid: 103)], freeLock, at: t0 + 500)
        #expect(drill.offset(of: .oldMasterGone) == 400)
        #expect(drill.offset(of: .lockReleased) == 450)
        // b2 took the lock (the timestamp it wrote), still sleeping its keep-alive.
        var taken = Fixtures.lock(holder: .pid(102), acquiredAt: t0 + 1200)
        taken.atMillis = t0 + 1300
        feed([gone, S(endpointError: .refused, port: .refused, pid: 102, process: .alive), .silentSlave(pid: 103)], taken, at: t0 + 1300)
        #expect(drill.offset(of: .lockAcquired) == 1200)
        #expect(drill.lockTakenBy == "b2")
        #expect(drill.verdict(nowMillis: t0 + 1300) == .inProgress(elapsedMillis: 1300))
        // b2 serves.
        var serving = S.master(pid: 102)
        serving.at = t0 + 3300
        feed([gone, serving, .silentSlave(pid: 103)], taken, at: t0 + 3400)
        #expect(drill.newMaster == "b2")
        #expect(drill.offset(of: .newMasterServing) == 3300)
        #expect(drill.verdict(nowMillis: t0 + 9000) == .passed(tookMillis: 3300))
        #expect(drill.timeWithoutMasterMillis == 2900)
    }

    @Test func drillIsInProgressUntilTheBoundHasClearlyPassed() {
        let expected: Int64 = 8000
        let drill = DrillTimeline(group: "g", oldMaster: "b1", oldAcquiredAtMillis: 1, stopSentAtMillis: 0, expectedWorstCaseFailoverMillis: expected)
        #expect(drill.verdict(nowMillis: expected + 1) == .inProgress(elapsedMillis: expected + 1))
        let grace = DrillTimeline.graceMillis(expected: expected)
        #expect(drill.verdict(nowMillis: expected + grace) == .inProgress(elapsedMillis: expected + grace))
        guard case .failed(let why) = drill.verdict(nowMillis: expected + grace + 1) else {
            Issue.record("expected failed")
            return
        }
        #expect(why.contains("no new master"))
    }

    @Test func aSlowTakeoverIsSlowNotPassed() {
        var drill = DrillTimeline(group: "orders", oldMaster: "b1", oldAcquiredAtMillis: Fixtures.acquired, stopSentAtMillis: Fixtures.now, expectedWorstCaseFailoverMillis: 2000)
        var serving = S.master(pid: 102)
        serving.at = Fixtures.now + 2500
        let observation = Fixtures.observe([.dead(pid: 101), serving, .slave(pid: 103)], lock: Fixtures.lock(holder: .pid(102), acquiredAt: Fixtures.now + 2000))
        drill.observe(observation, assessment: GroupAssessor.assess(group: Fixtures.group(), observation: observation, nowMillis: Fixtures.now + 2600), nowMillis: Fixtures.now + 2600)
        #expect(drill.verdict(nowMillis: Fixtures.now + 3000) == .slow(tookMillis: 2500))
    }
}
