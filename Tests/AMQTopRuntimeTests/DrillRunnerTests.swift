import AMQTopActions
import AMQTopCore
import AMQTopRuntime
import Testing

/// `amqtop drill`'s runner on a manual clock: the stop goes through the stop action, every look to the history.
@Suite(.timeLimit(.minutes(1)))
struct DrillRunnerTests {
    /// A group whose master b1 goes down after the stop and b2 takes over; each look takes `lookMillis` of clock time.
    final class TakeoverProber: GroupProbing {
        let clock: ManualClock
        let stops: FakeStops
        let lookMillis: Int64 = 250
        let looks = Recorder<Int64>()
        let firstAcquired: Int64

        init(clock: ManualClock, stops: FakeStops) {
            self.clock = clock
            self.stops = stops
            firstAcquired = clock.nowMillis() - 60_000
        }

        func probeGroup(_ group: GroupConfig) async -> GroupObservation {
            // The drill waits on the clock between looks; time passes here instead of in a sleep.
            clock.advance(byMillis: lookMillis)
            let at = clock.nowMillis()
            looks.append(at)
            let stopped = !stops.calls.all.isEmpty
            let afterStop = looks.all.count - 1
            func broker(_ name: String, pid: Int32, master: Bool?) -> BrokerObservation {
                guard let master else {
                    return BrokerObservation(
                        name: name, jolokia: .failed(.refused, atMillis: at), openwire: PortObservation(atMillis: at, state: .refused),
                        process: ProcessObservation(atMillis: at, pid: pid, state: .dead))
                }
                return BrokerObservation(
                    name: name, jolokia: JolokiaObservation(atMillis: at, slave: !master, version: "5.17.2"),
                    openwire: PortObservation(atMillis: at, state: master ? .open : .refused),
                    process: ProcessObservation(atMillis: at, pid: pid, state: .alive))
            }
            let lock: (LockFileSnapshot.Holder, Int64)
            let brokers: [BrokerObservation]
            if !stopped {
                lock = (.pid(101), firstAcquired)
                brokers = [broker("b1", pid: 101, master: true), broker("b2", pid: 102, master: false)]
            } else if afterStop < 3 {
                lock = (.free, firstAcquired)
                brokers = [broker("b1", pid: 101, master: nil), broker("b2", pid: 102, master: false)]
            } else {
                lock = (.pid(102), at - 100)
                brokers = [broker("b1", pid: 101, master: nil), broker("b2", pid: 102, master: true)]
            }
            return GroupObservation(
                name: group.name,
                lock: LockFileSnapshot(path: "/shared/lock", atMillis: at, state: .ok, size: 8, acquiredAtMillis: lock.1, holder: lock.0),
                brokers: brokers)
        }
    }

    static let group = GroupConfig(
        name: "orders", lockFile: "/shared/lock", lockKeepAlivePeriodMillis: 2000, lockAcquireSleepIntervalMillis: 1000,
        brokers: [
            BrokerConfig(name: "b1", jolokia: "http://127.0.0.1:8161/api/jolokia", pidFile: "/run/b1.pid"),
            BrokerConfig(name: "b2", jolokia: "http://127.0.0.1:8162/api/jolokia", pidFile: "/run/b2.pid"),
        ])

    @Test func aDrillStopsTheMasterAndWatchesOnTheInjectedClock() async {
        let clock = ManualClock(startMillis: Fixtures.now)
        let stops = FakeStops(clock: clock)
        let history = FakeHistory()
        let prober = TakeoverProber(clock: clock, stops: stops)
        let runner = DrillRunner(prober: prober, stopper: stops, history: history, clock: clock)

        let result = await runner.run(group: Self.group, cadenceMillis: 250)
        guard case .ran(let drill, let report) = result else {
            Issue.record("the drill did not start: \(result)")
            return
        }
        #expect(stops.calls.all == [["orders", "b1"]])
        // Every instant is the manual clock's: the stop went out after the first look.
        #expect(report.sentAtMillis == Fixtures.now + 250)
        #expect(drill.stopSentAtMillis == report.sentAtMillis)
        #expect(drill.verdict(nowMillis: clock.nowMillis()).isFinal)
        if case .passed = drill.verdict(nowMillis: clock.nowMillis()) {} else {
            Issue.record("expected a passed drill, got \(drill.verdict(nowMillis: clock.nowMillis()))")
        }
        // The history saw every look and the stop, and recorded the takeover as caused by it.
        #expect(history.observations.all.map(\.1) == prober.looks.all)
        #expect(history.stops.all == [FakeHistory.StopNote(group: "orders", broker: "b1", atMillis: report.sentAtMillis)])
        // One failover (reported again as its phases complete), to b2, caused by this stop.
        #expect(Set(history.failovers.all.map(\.key)).count == 1)
        #expect(history.failovers.all.last?.toBroker == "b2")
        #expect(history.failovers.all.last?.stopSentAtMillis == report.sentAtMillis)
    }

    @Test func noMasterMeansNoStop() async {
        let clock = ManualClock(startMillis: Fixtures.now)
        let stops = FakeStops(clock: clock)
        final class Silent: GroupProbing {
            func probeGroup(_ group: GroupConfig) async -> GroupObservation { GroupObservation(name: group.name) }
        }
        let result = await DrillRunner(prober: Silent(), stopper: stops, history: FakeHistory(), clock: clock)
            .run(group: Self.group, cadenceMillis: 250)
        guard case .notStarted(let why) = result else {
            Issue.record("expected no drill, got \(result)")
            return
        }
        #expect(why.contains("no master"))
        #expect(stops.calls.all.isEmpty)
    }
}
