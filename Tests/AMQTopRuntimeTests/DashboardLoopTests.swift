import AMQTopCore
import AMQTopProbes
import AMQTopRuntime
import AMQTopTerminal
import Testing

/// The dashboard loop with a manual clock and fakes: no terminal, no tmux, no sleeps.
@Suite(.timeLimit(.minutes(1)))
struct DashboardLoopTests {
    /// Every result of one look at a group, as the poller sends them.
    static func updates(_ observation: GroupObservation) -> [PollUpdate] {
        (observation.lock.map { [.lock(group: observation.name, $0)] } ?? [])
            + observation.brokers.map { .broker(group: observation.name, $0) }
    }

    @Test func thisKeyStopsBroker2() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let running = harness.start()
        harness.probes.send(Self.updates(Fixtures.healthyProd))
        // Open prod-east, select b2, press s, type its name, confirm.
        harness.terminal.send(.key(.enter), .key(.down), .key(.character("s")))
        harness.terminal.type("b2")
        harness.terminal.send(.key(.enter))

        await harness.stops.calls.wait(forCount: 1)
        #expect(harness.stops.calls.all == [["prod-east", "b2"]])
        // The outcome comes back and the reducer asks the history to note the stop.
        await harness.history.stops.wait(forCount: 1)
        #expect(harness.history.stops.all == [FakeHistory.StopNote(group: "prod-east", broker: "b2", atMillis: Fixtures.now)])
        harness.passFrameTime()
        await harness.renders.wait { $0.last?.state.stopDialog?.phase == .finished(.sent("fake stop")) }
        #expect(await harness.quit(running) == .quit)
        #expect(harness.stops.calls.all.count == 1)
    }

    /// The connections' states reach the reducer: sampled on the tick's cadence, drawn when they change.
    @Test func hostStatesReachTheScreen() async {
        let links = Recorder<[HostLink]>()
        links.append([HostLink(name: "amq1", destination: "amq1", state: "connected", roundTripMillis: 2)])
        let harness = LoopHarness(groups: [Fixtures.prod], hostLinks: { links.all.last ?? [] })
        let running = harness.start()
        // The first sample is the loop's first input; its frame waits for the frame time.
        await harness.loop.progress.wait(forHandled: 1)
        harness.passFrameTime()
        await harness.renders.wait(until: { $0.last?.state.hosts.first?.state == "connected" })
        links.append([HostLink(name: "amq1", destination: "amq1", state: "unreachable", error: "Connection refused")])
        // The sampler looks again one tick later (beside the tick itself): sample, tick and a frame handled.
        harness.clock.advance(byMillis: DashboardLoop.tickMillis)
        await harness.loop.progress.wait(forHandled: 5)
        harness.passFrameTime()
        await harness.renders.wait(until: { $0.last?.state.hosts.first?.error == "Connection refused" })
        #expect(await harness.quit(running) == .quit)
    }

    @Test func thisObservationRecordsAFailover() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let running = harness.start()
        let path = "/srv/amq/prod/kahadb/lock"
        let firstAcquired = Fixtures.now - 60_000
        var sent = 0
        func look(_ lock: LockFileSnapshot.Holder, acquired: Int64, _ brokers: [BrokerObservation]) async {
            let at = harness.clock.nowMillis()
            let snapshot = LockFileSnapshot(path: path, atMillis: at, state: .ok, size: 8, acquiredAtMillis: acquired, holder: lock)
            let updates = Self.updates(GroupObservation(name: "prod-east", lock: snapshot, brokers: brokers))
            harness.probes.send(updates)
            sent += updates.count
            // Each result is recorded with the clock's time of its turn: wait for them before time moves.
            await harness.history.observations.wait(forCount: sent)
            harness.clock.advance(byMillis: 1000)
        }
        func serving(_ name: String, pid: Int32, slave: Bool) -> BrokerObservation {
            let at = harness.clock.nowMillis()
            return BrokerObservation(
                name: name, jolokia: JolokiaObservation(atMillis: at, slave: slave, version: "5.17.2"),
                openwire: PortObservation(atMillis: at, state: slave ? .refused : .open),
                process: ProcessObservation(atMillis: at, pid: pid, state: .alive))
        }
        func gone(_ name: String) -> BrokerObservation {
            let at = harness.clock.nowMillis()
            return BrokerObservation(
                name: name, jolokia: .failed(.refused, atMillis: at), openwire: PortObservation(atMillis: at, state: .refused),
                process: ProcessObservation(atMillis: at, pid: 4242, state: .dead))
        }

        await look(.pid(4242), acquired: firstAcquired, [serving("b1", pid: 4242, slave: false), serving("b2", pid: 4243, slave: true), serving("b3", pid: 4244, slave: true)])
        await look(.free, acquired: firstAcquired, [gone("b1"), serving("b2", pid: 4243, slave: true), serving("b3", pid: 4244, slave: true)])
        let takenAt = harness.clock.nowMillis() - 500
        await look(.pid(4243), acquired: takenAt, [gone("b1"), serving("b2", pid: 4243, slave: false), serving("b3", pid: 4244, slave: true)])

        await harness.history.failovers.wait(forCount: 1)
        let failover = harness.history.failovers.all[0]
        #expect(failover.group == "prod-east")
        #expect(failover.fromBroker == "b1" && failover.toBroker == "b2")
        // The history's answer comes back to the screen: the group's recent failovers list it.
        await harness.passFrameTimes { $0.last?.state.recentFailovers["prod-east"]?.first?.toBroker == "b2" }
        #expect(await harness.quit(running) == .quit)
    }

    /// At start the history's week of tenures reaches the state the timelines are drawn from.
    @Test func theHistoryTimelineReachesTheScreenAtStart() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let tenure = Tenure(
            group: "prod-east", key: "lock:1", master: "b2", acquiredAtMillis: Fixtures.now - 3_600_000, firstSeenAtMillis: Fixtures.now - 3_600_000,
            startedBeforeObservation: false)
        harness.history.timelines.append(TimelineHistory(tenures: [tenure]))
        let running = harness.start()
        // The history's two answers at start (recent failovers, then the timeline), then their frame.
        await harness.loop.progress.wait(forHandled: 2)
        harness.passFrameTime()
        await harness.renders.wait { $0.last?.state.timelines["prod-east"]?.tenures == [tenure] }
        #expect(await harness.quit(running) == .quit)
    }

    @Test func aBurstOf300ResultsDrawsOneFrame() async {
        let groups = (1...30).map { g in
            GroupConfig(name: "g\(g)", lockFile: "/srv/g\(g)/lock", brokers: (1...10).map { Fixtures.broker("g\(g)b\($0)", port: 61616) })
        }
        let harness = LoopHarness(groups: groups)
        let burst: [PollUpdate] = groups.flatMap { group in
            group.brokers.map { PollUpdate.broker(group: group.name, Fixtures.master($0.name, pid: 100)) }
        }
        #expect(burst.count == 300)
        harness.probes.send(burst)
        let running = harness.start()
        // 300 results and one history answer per group (its recent failovers), all at the same instant.
        await harness.loop.progress.wait(forHandled: 300 + groups.count)
        #expect(harness.terminal.frames.all.count == 1, "only the first frame, drawn at start")
        harness.passFrameTime()
        await harness.terminal.frames.wait(forCount: 2)
        let drawn = harness.renders.all[1].state
        #expect(drawn.observations.values.reduce(0) { $0 + $1.brokers.count } == 300)
        // The 300 observations went to the history together, in one job.
        #expect(harness.history.bursts.all.map(\.count) == [300])
        // A key after the burst gets the next frame: no other frame was waiting in between.
        harness.terminal.send(.key(.character("?")))
        await harness.loop.progress.wait(forHandled: 300 + groups.count + 2)
        harness.passFrameTime()
        await harness.terminal.frames.wait(forCount: 3)
        #expect(harness.renders.all.count == 3)
        #expect(harness.renders.all.last?.state.view == .help(returnTo: .overview))
        #expect(await harness.quit(running) == .quit)
    }

    /// A burst of results from two groups is reduced in order, goes to the history as ONE job
    /// with one observation per result in the order they came, and is drawn in one frame.
    @Test func aBurstIsOneHistoryJobInOrderAndOneFrame() async {
        let groups = ["east", "west"].map { name in
            GroupConfig(name: name, lockFile: "/srv/\(name)/lock", brokers: (1...3).map { Fixtures.broker("\(name)-b\($0)", port: 61616) })
        }
        let harness = LoopHarness(groups: groups)
        let running = harness.start()
        // The history's answers at start (one per group), and their frame.
        await harness.loop.progress.wait(forHandled: groups.count)
        harness.passFrameTime()
        await harness.renders.wait(forCount: 2)
        let jobsBefore = harness.history.bursts.all.count
        // Interleaved as they finish: a lock, then brokers of both groups.
        let lock = LockFileSnapshot(
            path: "/srv/west/lock", atMillis: Fixtures.now, state: .ok, size: 8, acquiredAtMillis: Fixtures.now - 60_000, holder: .pid(100))
        let burst: [PollUpdate] = [.lock(group: "west", lock)]
            + (1...3).flatMap { i in ["east", "west"].map { PollUpdate.broker(group: $0, Fixtures.master("\($0)-b\(i)", pid: 100)) } }
        harness.probes.send(burst)
        await harness.history.bursts.wait(forCount: jobsBefore + 1)
        await harness.loop.progress.wait(forHandled: groups.count + 1 + burst.count)
        let job = harness.history.bursts.all[jobsBefore]
        // One entry per result, each the group as it stood after that result, in the burst's order.
        #expect(job.map(\.group) == burst.compactMap(\.groupName))
        let brokersSeen = job.map { entry -> Int in if case .observe(let observation, _, _) = entry { observation.brokers.count } else { -1 } }
        #expect(brokersSeen == [0, 1, 1, 2, 2, 3, 3])
        #expect(harness.history.bursts.all.count == jobsBefore + 1, "the burst went to the history as more than one job")
        // Nothing drawn until the frame time: then one frame shows the whole burst.
        #expect(harness.renders.all.count == 2)
        harness.passFrameTime()
        await harness.renders.wait(forCount: 3)
        #expect(harness.renders.all[2].state.observations.values.reduce(0) { $0 + $1.brokers.count } == 6)
        #expect(await harness.quit(running) == .quit)
        #expect(harness.renders.all.count == 3, "a burst drew more than one frame")
    }

    @Test func theUTCOffsetIsLookedUpPerFrame() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let running = harness.start()
        await harness.renders.wait(forCount: 1)
        #expect(harness.renders.all[0].context.utcOffsetSeconds == 0)
        // Daylight saving time starts: the next frame already uses the new offset.
        harness.clock.setUTCOffset(seconds: 3600)
        harness.terminal.send(.key(.character("?")))
        // The key and the history's answer at start (one group), then their one frame.
        await harness.loop.progress.wait(forHandled: 2)
        harness.passFrameTime()
        await harness.renders.wait(forCount: 2)
        #expect(harness.renders.all[1].context.utcOffsetSeconds == 3600)
        #expect(harness.renders.all[1].state.view == .help(returnTo: .overview))
        #expect(await harness.quit(running) == .quit)
    }

    /// Ticks come every 250 ms on the wall clock's grid; an idle tick is drawn once a second
    /// (the first of each second), and every tick while a lock age shows tenths.
    @Test func idleTicksAreDrawnOnceASecondAndEveryTickWhileTenthsShow() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let running = harness.start()
        // The history's answer at start, and its frame 40 ms later.
        await harness.loop.progress.wait(forHandled: 1)
        harness.passFrameTime()
        await harness.renders.wait(forCount: 2)
        #expect(harness.renders.all[1].state.nowMillis == Fixtures.now)
        // Three ticks within the second of the last frame: handled, not drawn.
        var handled = 2
        for quarter in 1...3 {
            harness.clock.advance(toMillis: Fixtures.now + Int64(quarter) * DashboardLoop.tickMillis)
            handled += 1
            await harness.loop.progress.wait(forHandled: handled)
        }
        #expect(harness.renders.all.count == 2, "an idle tick within the same second drew a frame")
        // The tick that starts the next second is drawn, at once.
        harness.clock.advance(toMillis: Fixtures.now + 1000)
        await harness.renders.wait(forCount: 3)
        #expect(harness.renders.all[2].state.nowMillis == Fixtures.now + 1000)
        handled += 2  // the tick and its frame

        // A new lock two seconds old: drawn within a frame (urgent), then every tick while under ten seconds.
        let snapshot = LockFileSnapshot(
            path: "/srv/amq/prod/kahadb/lock", atMillis: Fixtures.now + 1000, state: .ok, size: 8,
            acquiredAtMillis: Fixtures.now - 1000, holder: .pid(4242))
        harness.probes.send([.lock(group: "prod-east", snapshot)])
        handled += 1
        await harness.loop.progress.wait(forHandled: handled)
        harness.passFrameTime()
        await harness.renders.wait(forCount: 4)
        harness.clock.advance(toMillis: Fixtures.now + 1000 + DashboardLoop.tickMillis)
        await harness.renders.wait(forCount: 5)
        #expect(harness.renders.all[4].state.nowMillis == Fixtures.now + 1000 + DashboardLoop.tickMillis)
        #expect(await harness.quit(running) == .quit)
    }

    /// The tick grid: the next multiple of 250 ms after a time, also before 1970.
    @Test func ticksFallOnTheWallClockGrid() {
        #expect(DashboardLoop.nextGridTick(after: 1_000) == 1_250)
        #expect(DashboardLoop.nextGridTick(after: 1_001) == 1_250)
        #expect(DashboardLoop.nextGridTick(after: 1_249) == 1_250)
        #expect(DashboardLoop.nextGridTick(after: -1) == 0)
        #expect(DashboardLoop.nextGridTick(after: -250) == 0)
    }

    @Test func aSignalOrAHangupEndsTheLoop() async {
        let signalled = LoopHarness(groups: [Fixtures.prod])
        let first = signalled.start()
        signalled.terminal.send(.signal(15))
        #expect(await first.value == .signal(15))
        await signalled.loop.shutdown()

        let hungUp = LoopHarness(groups: [Fixtures.prod])
        let second = hungUp.start()
        hungUp.terminal.send(.hangup)
        #expect(await second.value == .hangup)
        await hungUp.loop.shutdown()
    }

    @Test func rPollsNowAndCtrlLRepaints() async {
        let harness = LoopHarness(groups: [Fixtures.prod])
        let running = harness.start()
        harness.terminal.send(.key(.character("r")), .key(.redraw))
        await harness.probes.pollNowCalls.wait(forCount: 1)
        await harness.terminal.repaints.wait(forCount: 1)
        #expect(await harness.quit(running) == .quit)
    }
}
