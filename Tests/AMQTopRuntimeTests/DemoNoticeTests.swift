import AMQTopCore
import Testing

/// What the status line says on its own: a broker back after being down, the demo's first-run
/// hint until the first stop; and which ticks the idle screen draws.
struct DemoNoticeTests {
    static func prodState() -> AppState {
        Fixtures.state([Fixtures.prod], observations: [Fixtures.healthyProd])
    }

    @Test func aBrokerThatWasDownAndRunsAgainIsAnnounced() {
        var state = Self.prodState()
        _ = Reducer.reduce(&state, .brokerObservation(group: "prod-east", Fixtures.down("b3")))
        #expect(state.assessments["prod-east"]?.brokers.first { $0.name == "b3" }?.role == .down)
        #expect(state.statusMessage == nil, "going down is not a return: \(state.statusMessage ?? "")")
        _ = Reducer.reduce(&state, .brokerObservation(group: "prod-east", Fixtures.asyncSlave("b3", pid: 5555)))
        #expect(state.statusMessage == "b3 is back, as a slave")
        // A slave that stays a slave says nothing more.
        state.statusMessage = nil
        _ = Reducer.reduce(&state, .brokerObservation(group: "prod-east", Fixtures.asyncSlave("b3", pid: 5555)))
        #expect(state.statusMessage == nil)
    }

    /// Brokers still starting when the dashboard did (down, then up) are not announced as back.
    @Test func aBrokerFirstSeenDownIsNotBackWhenItStarts() {
        var state = Fixtures.state(
            [Fixtures.prod],
            observations: [GroupObservation(name: "prod-east", lock: Fixtures.healthyProd.lock,
                                            brokers: [Fixtures.master("b1", pid: 4242), Fixtures.down("b2"), Fixtures.down("b3")])])
        _ = Reducer.reduce(&state, .brokerObservation(group: "prod-east", Fixtures.asyncSlave("b3", pid: 5555)))
        #expect(state.assessments["prod-east"]?.brokers.first { $0.name == "b3" }?.role == .slave)
        #expect(state.statusMessage == nil, "\(state.statusMessage ?? "")")
    }

    @Test func theFirstRunHintLeadsToTheMasterAndEndsWithTheFirstStop() {
        var state = Self.prodState()
        #expect(state.firstRunHint == nil, "off unless the demo asks for it")
        state.showsFirstRunHint = true
        #expect(state.firstRunHint == "Enter, then s stops the master: watch the failover")
        _ = Reducer.reduce(&state, .key(.enter))
        // b1 is the master and selected first.
        #expect(state.firstRunHint == "s stops the master: watch the failover")
        _ = Reducer.reduce(&state, .key(.down))
        #expect(state.firstRunHint == "select b1 (j/k), then s stops the master: watch the failover")
        // A refused stop leaves the hint; a sent one ends it.
        _ = Reducer.reduce(&state, .stopFinished(group: "prod-east", broker: "b2", outcome: .refused("no"), sentAtMillis: Fixtures.now))
        #expect(state.showsFirstRunHint)
        _ = Reducer.reduce(&state, .stopFinished(group: "prod-east", broker: "b1", outcome: .sent("ok"), sentAtMillis: Fixtures.now))
        #expect(state.firstRunHint == nil && !state.showsFirstRunHint)
    }

    @Test func anIdleTickIsDrawnOnlyWhenItsSecondStarts() {
        let state = Self.prodState()  // lock age 3m12s: whole seconds
        var after = state
        _ = Reducer.reduce(&after, .tick(nowMillis: Fixtures.now + 250))
        #expect(!FrameCadence.showsTenths(after))
        #expect(!FrameCadence.tickIsDrawn(before: state, after: after, lastFrameMillis: Fixtures.now))
        var next = state
        _ = Reducer.reduce(&next, .tick(nowMillis: Fixtures.now + 1000))
        #expect(FrameCadence.tickIsDrawn(before: state, after: next, lastFrameMillis: Fixtures.now + 750))
    }

    @Test func everyTickIsDrawnWhileALockAgeShowsTenths() {
        var state = Self.prodState()
        var fresh = Fixtures.lock("/srv/amq/prod/kahadb/lock", holder: .pid(4242))
        fresh.acquiredAtMillis = Fixtures.now - 9_000
        _ = Reducer.reduce(&state, .lockSnapshot(group: "prod-east", fresh))
        var after = state
        _ = Reducer.reduce(&after, .tick(nowMillis: Fixtures.now + 250))
        #expect(FrameCadence.showsTenths(after))
        #expect(FrameCadence.tickIsDrawn(before: state, after: after, lastFrameMillis: Fixtures.now))
        // Past ten seconds the age is whole seconds again.
        _ = Reducer.reduce(&after, .tick(nowMillis: Fixtures.now + 1_000))
        #expect(!FrameCadence.showsTenths(after))
    }
}
