import Testing

@testable import AMQTopCore

/// Which events must be drawn at once and which can wait for the next clock tick.
@Suite struct RedrawPolicyTests {
    let config = AppConfig(groups: [
        GroupConfig(name: "g", lockFile: "/data/kahadb/lock", brokers: [
            BrokerConfig(name: "b1", jolokia: "http://b1:8161/api/jolokia"),
            BrokerConfig(name: "b2", jolokia: "http://b2:8161/api/jolokia"),
        ])
    ])

    static func lock(at millis: Int64, acquired: Int64 = 1_000, holder: LockFileSnapshot.Holder = .pid(4242)) -> LockFileSnapshot {
        LockFileSnapshot(path: "/data/kahadb/lock", atMillis: millis, state: .ok, size: 8, mtimeMillis: acquired,
                         device: 1, inode: 2, acquiredAtMillis: acquired, holder: holder)
    }

    static func broker(_ name: String, at millis: Int64, slave: Bool, latency: Int64 = 3, uptime: Int64 = 60_000,
                       error: EndpointError? = nil) -> BrokerObservation {
        let jolokia = error.map { JolokiaObservation.failed($0, atMillis: millis, latencyMillis: latency) }
            ?? JolokiaObservation(atMillis: millis, latencyMillis: latency, slave: slave, brokerName: name,
                                  uptimeMillis: uptime, connections: 4, totalMessages: 10)
        return BrokerObservation(name: name, jolokia: jolokia)
    }

    /// Reduces `event` into `state` and says whether the policy wants a frame now.
    static func urgent(_ event: AppEvent, _ state: inout AppState) -> Bool {
        let before = RedrawPolicy.before(event, in: state)
        _ = Reducer.reduce(&state, event)
        return RedrawPolicy.isUrgent(event, before: before, after: state)
    }

    func settled() -> AppState {
        var state = AppState(config: config, nowMillis: 10_000, width: 120, height: 40)
        _ = Reducer.reduce(&state, .lockSnapshot(group: "g", Self.lock(at: 10_000)))
        _ = Reducer.reduce(&state, .brokerObservation(group: "g", Self.broker("b1", at: 10_000, slave: false)))
        _ = Reducer.reduce(&state, .brokerObservation(group: "g", Self.broker("b2", at: 10_000, slave: true)))
        return state
    }

    @Test func rereadsOfAnUnchangedLockWaitForTheTick() {
        var state = settled()
        #expect(!Self.urgent(.lockSnapshot(group: "g", Self.lock(at: 10_250)), &state))
        #expect(state.observations["g"]?.lock?.atMillis == 10_250, "the state is updated all the same")
    }

    /// A host's state or error reaches the state and the screen at once; a new round trip waits for the tick.
    @Test func hostStatesAreUrgentTheirRoundTripIsNot() {
        var state = settled()
        let up = HostLink(name: "amq1", destination: "amq1", state: "connected", roundTripMillis: 3)
        #expect(Self.urgent(.hosts([up]), &state))
        #expect(state.hosts == [up])
        var slower = up
        slower.roundTripMillis = 9
        #expect(!Self.urgent(.hosts([slower]), &state))
        #expect(state.hosts.first?.roundTripMillis == 9, "the state is updated all the same")
        let down = HostLink(name: "amq1", destination: "amq1", state: "unreachable", error: "Connection refused")
        #expect(Self.urgent(.hosts([down]), &state))
        #expect(state.hosts.first?.stateLabel == "unreachable")
    }

    @Test func aNewLockTimestampOrHolderIsDrawnAtOnce() {
        var state = settled()
        #expect(Self.urgent(.lockSnapshot(group: "g", Self.lock(at: 10_250, acquired: 9_000)), &state))
        #expect(Self.urgent(.lockSnapshot(group: "g", Self.lock(at: 10_500, acquired: 9_000, holder: .pid(777))), &state))
        var missing = Self.lock(at: 10_750, acquired: 9_000, holder: .free)
        missing.state = .missing
        #expect(Self.urgent(.lockSnapshot(group: "g", missing), &state))
    }

    @Test func measurementsOnlyWaitForTheTick() {
        var state = settled()
        let moved = Self.broker("b1", at: 11_000, slave: false, latency: 40, uptime: 61_000)
        #expect(!Self.urgent(.brokerObservation(group: "g", moved), &state))
        #expect(state.observations["g"]?.broker(named: "b1")?.jolokia?.latencyMillis == 40)
    }

    @Test func roleChangesAndErrorsAreDrawnAtOnce() {
        var state = settled()
        #expect(Self.urgent(.brokerObservation(group: "g", Self.broker("b1", at: 11_000, slave: true)), &state))
        #expect(Self.urgent(.brokerObservation(group: "g", Self.broker("b2", at: 11_000, slave: true, error: .refused)), &state))
        #expect(Self.urgent(.brokerObservation(group: "g", Self.broker("b2", at: 12_000, slave: true, error: .timeout(afterMillis: 2000))), &state))
    }

    @Test func keysTicksAndOutcomesAreAlwaysDrawn() {
        var state = settled()
        #expect(Self.urgent(.key(.down), &state))
        #expect(Self.urgent(.tick(nowMillis: 10_500), &state))
        #expect(Self.urgent(.resize(width: 80, height: 24), &state))
        #expect(Self.urgent(.notice("history set aside"), &state))
        #expect(!Self.urgent(.roundComplete(atMillis: 10_600), &state))
    }
}
