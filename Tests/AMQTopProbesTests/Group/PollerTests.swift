import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// Whole rounds and the long-running poller: concurrency, skipping, cadences, scale.
@Suite struct PollerTests {
    /// Collects updates from a stream in the background, so tests can wait on what arrived.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(millis: Int64, update: PollUpdate)] = []
        private var task: Task<Void, Never>?

        /// Every burst taken apart into its updates, in order; `bursts` counts the stream's elements.
        init(_ stream: AsyncStream<[PollUpdate]>) {
            task = Task { [self] in
                for await burst in stream {
                    lock.withLock { burstCount += 1 }
                    for update in burst { append(update) }
                }
            }
        }

        private var burstCount = 0
        /// How many bursts (stream elements) arrived.
        var bursts: Int { lock.withLock { burstCount } }

        private func append(_ update: PollUpdate) {
            lock.lock()
            items.append((SystemClock().nowMillis(), update))
            lock.unlock()
        }

        var updates: [(millis: Int64, update: PollUpdate)] {
            lock.lock()
            defer { lock.unlock() }
            return items
        }

        func count(where matches: (PollUpdate) -> Bool) -> Int { updates.filter { matches($0.update) }.count }

        /// Waits until the stream has finished.
        func finished() async { await task?.value }
    }

    static func isBroker(_ name: String) -> (PollUpdate) -> Bool {
        { if case .broker(_, let observation) = $0 { return observation.name == name } else { return false } }
    }

    static func isLock(_ update: PollUpdate) -> Bool {
        if case .lock = update { return true } else { return false }
    }

    @Test func oneRoundProbesEverythingConcurrently() async throws {
        let good = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        let hung = try TestHTTPServer(always: .neverAnswer)
        // More hung brokers in another group: probed one after another they would take one
        // timeout each, so the round's length tells concurrent from sequential.
        let moreHung = try (0..<4).map { _ in try TestHTTPServer(always: .neverAnswer) }
        defer { good.stop(); hung.stop(); moreHung.forEach { $0.stop() } }
        let directory = try TemporaryDirectory()
        try LockFileReaderTests.writeLockFile(directory.path + "/lock", millis: 1_764_000_000_099)
        let (listenFD, openPort) = try TestHTTPServer.listen()
        defer { close(listenFD) }
        let config = AppConfig(timeoutMillis: 800, groups: [
            GroupConfig(name: "g1", lockFile: directory.path + "/lock", brokers: [
                BrokerConfig(name: "broker1", jolokia: good.url, mbeanBrokerName: "broker1", openwire: HostPort(host: "127.0.0.1", port: openPort)),
                BrokerConfig(name: "hung", jolokia: hung.url, mbeanBrokerName: "hung"),
            ]),
            GroupConfig(name: "g2", brokers: [BrokerConfig(name: "quiet")]),
            GroupConfig(name: "g3", brokers: moreHung.enumerated().map { BrokerConfig(name: "hung\($0.offset)", jolokia: $0.element.url, mbeanBrokerName: "hung") }),
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        let (groups, elapsed) = await Waiting.timed { await prober.probeAll(config) }
        await http.shutdown()
        #expect(groups.map(\.name) == ["g1", "g2", "g3"])
        #expect(groups[2].brokers.allSatisfy { $0.jolokia?.error == .timeout(afterMillis: 800) }, "\(groups[2].brokers)")
        #expect(groups[0].lock?.acquiredAtMillis == 1_764_000_000_099)
        #expect(groups[0].brokers.map(\.name) == ["broker1", "hung"])
        #expect(groups[0].brokers[0].jolokia?.slave == false)
        #expect(groups[0].brokers[0].openwire?.state == .open)
        #expect(groups[0].brokers[1].jolokia?.error == .timeout(afterMillis: 800))
        #expect(groups[1].brokers == [BrokerObservation(name: "quiet")])
        #expect(groups[1].lock == nil)
        // About one timeout, not five: the round waits out the hung brokers' deadline once
        // (all at the same time); one after another they would take 5 x 800 ms. Speed
        // itself is a benchmark's job.
        #expect(elapsed >= 800, "round took \(elapsed) ms, less than the hung brokers' deadline")
        #expect(elapsed < 2 * 800, "round took \(elapsed) ms: the hung brokers were not probed concurrently")
    }

    // MARK: - Scheduling, on a manual clock with fake probes

    /// One group with a lock file and the given brokers, polled every second, its lock every 250 ms.
    static func scheduled(_ brokers: [String], pollMillis: Int64 = 1000, lockPollMillis: Int64 = 250) -> AppConfig {
        AppConfig(pollMillis: pollMillis, lockPollMillis: lockPollMillis, timeoutMillis: 500, groups: [
            GroupConfig(name: "g", lockFile: "/fake/lock", brokers: brokers.map { BrokerConfig(name: $0, jolokia: "http://fake/\($0)") })
        ])
    }

    /// Waits until both cadences sleep on `clock` (each loop has ticked and scheduled its next).
    static func settled(_ clock: ManualClock) async -> Bool {
        await Waiting.until(millis: 10_000) { clock.sleeperCount == 2 }
    }

    static func roundStamps(_ collector: Collector) -> [Int64] {
        collector.updates.compactMap { if case .roundComplete(let at) = $0.update { at } else { nil } }
    }

    @Test func bothCadencesRunOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        let poller = Poller(config: Self.scheduled(["b1"]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { Self.roundStamps(collector) == [t0] })
        #expect(clock.nextDeadline == t0 + 250)
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 1 })

        // Three lock ticks and no broker tick: the two cadences are independent.
        for step in 1...3 {
            clock.advance(byMillis: 250)
            #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 1 + step })
            #expect(await Self.settled(clock))
        }
        #expect(probes.pollCount("b1") == 1)
        #expect(collector.count(where: Self.isBroker("b1")) == 1)

        // At one second both tick, and the round is stamped with the clock's time.
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { Self.roundStamps(collector) == [t0, t0 + 1000] })
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 5 })
        #expect(probes.pollCount("b1") == 2)
        if case .broker(_, let observation)? = collector.updates.last(where: { Self.isBroker("b1")($0.update) })?.update {
            #expect(observation.jolokia?.atMillis == t0 + 1000)
        }
        await poller.stop()
        await collector.finished()
    }

    @Test func aLateTickStartsTheScheduleAfreshInsteadOfBursting() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        let poller = Poller(config: Self.scheduled(["b1"]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 1 })

        // A stalled machine: 1.1 s pass at once. Four lock ticks were missed; one runs, not four.
        clock.advance(byMillis: 1100)
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 2 && Self.roundStamps(collector).count == 2 })
        #expect(await Self.settled(clock))
        #expect(collector.count(where: Self.isLock) == 2)
        #expect(probes.lockCalls.count == 2)
        // The lock schedule restarts 250 ms after the late tick (the broker's, late by less than
        // a period, keeps its slot at t0 + 2 s).
        #expect(clock.nextDeadline == t0 + 1100 + 250)
        await poller.stop()
        await collector.finished()
    }

    /// NTP steps the wall clock back an hour: the next tick still comes one interval later, not an hour.
    @Test func aWallClockSteppedBackDoesNotStallTheSchedule() async throws {
        let base = ManualClock()
        let clock = SteppedClock(base: base)
        let probes = FakeProbes(clock: clock)
        let poller = Poller(config: Self.scheduled(["b1"]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(base))
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 1 })
        clock.step(byMillis: -3_600_000)
        // The sleep already running ends on time; the schedule then continues from the new wall time.
        base.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 2 })
        #expect(await Self.settled(base))
        base.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 3 })
        await poller.stop()
        await collector.finished()
    }

    @Test func aBrokerStillInFlightIsSkippedNotQueued() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        probes.hold("hung")
        let poller = Poller(config: Self.scheduled(["good", "hung"]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isBroker("good")) == 1 })
        #expect(probes.pollCount("hung") == 1)

        // Two more rounds: the good broker is polled each time, the hung one skipped, not queued.
        for round in 1...2 {
            clock.advance(byMillis: 1000)
            #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isBroker("good")) == 1 + round })
            #expect(await Waiting.until(millis: 10_000) {
                collector.count { $0 == .brokerSkipped(group: "g", broker: "hung") } == round
            })
            #expect(await Self.settled(clock))
        }
        #expect(probes.pollCount("hung") == 1)
        #expect(await poller.inFlightCount().brokers == 1)
        // The first round waits for the hung broker; the later ones (it skipped) completed on time.
        #expect(await Waiting.until(millis: 10_000) { Self.roundStamps(collector) == [t0 + 1000, t0 + 2000] })
        #expect(collector.count(where: Self.isBroker("hung")) == 0)

        // It answers at last: its result arrives, its round completes, and it is polled again next round.
        probes.release("hung")
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isBroker("hung")) == 1 })
        #expect(await Waiting.until(millis: 10_000) { Self.roundStamps(collector).count == 3 })
        #expect(await Waiting.until(millis: 10_000) { await poller.inFlightCount().brokers == 0 })
        clock.advance(byMillis: 1000)
        #expect(await Waiting.until(millis: 10_000) { probes.pollCount("hung") == 2 })
        #expect(collector.count { $0 == .brokerSkipped(group: "g", broker: "hung") } == 2)
        await poller.stop()
        await collector.finished()
    }

    @Test func aStuckLockReadIsNotRepeatedUntilItReturns() async throws {
        let clock = ManualClock()
        let probes = FakeProbes(clock: clock)
        probes.hangLocks()
        let poller = Poller(config: Self.scheduled([]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        // The reader reported its timeout at once; four more lock ticks start no second read.
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isLock) == 1 })
        for _ in 1...4 {
            clock.advance(byMillis: 250)
            #expect(await Self.settled(clock))
        }
        #expect(probes.lockCalls == [["g"]])
        #expect(await poller.inFlightCount().locks == 1)

        probes.releaseLocks()
        #expect(await Waiting.until(millis: 10_000) { await poller.inFlightCount().locks == 0 })
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { probes.lockCalls.count == 2 })
        await poller.stop()
        await collector.finished()
    }

    @Test func pollNowStartsARoundAtOnce() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        let poller = Poller(
            config: Self.scheduled(["broker1"], pollMillis: 60_000, lockPollMillis: 60_000), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: Self.isBroker("broker1")) == 1 })
        await poller.pollNow()
        // The clock never moved: the second round can only come from pollNow.
        #expect(await Waiting.until(millis: 10_000) {
            collector.count(where: Self.isBroker("broker1")) == 2 && collector.count(where: Self.isLock) == 2
        })
        #expect(clock.nowMillis() == t0)
        #expect(await Waiting.until(millis: 10_000) { Self.roundStamps(collector) == [t0, t0] })
        await poller.stop()
        await collector.finished()
    }

    @Test func stopEndsTheStreamAndLeavesNobodyAsleepOnTheClock() async throws {
        let clock = ManualClock()
        let probes = FakeProbes(clock: clock)
        let poller = Poller(config: Self.scheduled(["b1"]), prober: GroupProber(router: probes), clock: clock)
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Self.settled(clock))
        await poller.stop()
        await collector.finished()
        // Both cadences were cancelled in their sleep, not left waiting for a deadline.
        #expect(await Waiting.until(millis: 10_000) { clock.sleeperCount == 0 })
        #expect(probes.pollCount("b1") == 1)
    }

    /// 300 brokers in 30 groups, 30 of them hung and 30 refused: a round takes one timeout.
    @Test func hundredsOfBrokersPerRound() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        // One hung broker per group: probed one after another, 30 of them would take 30 timeouts.
        let hung = try TestHTTPServer(always: .neverAnswer)
        defer { server.stop(); hung.stop() }
        let refused = try TestHTTPServer.refusedPort()
        let directory = try TemporaryDirectory()
        try LockFileReaderTests.writeLockFile(directory.path + "/lock", millis: 5)
        let groups = (0..<30).map { g in
            GroupConfig(name: "g\(g)", lockFile: directory.path + "/lock", brokers: (0..<10).map { b in
                BrokerConfig(
                    name: "b\(b)",
                    jolokia: b == 9 ? "http://127.0.0.1:\(refused)/api/jolokia" : b == 8 ? hung.url : server.url,
                    mbeanBrokerName: "broker1")
            })
        }
        let config = AppConfig(timeoutMillis: 1000, groups: groups)
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        _ = await prober.probeAll(config)  // warm the connection pool
        let (observed, elapsed) = await Waiting.timed { await prober.probeAll(config) }
        await http.shutdown()
        let brokers = observed.flatMap(\.brokers)
        #expect(brokers.count == 300)
        #expect(brokers.filter { $0.jolokia?.slave == false }.count == 240)
        #expect(brokers.filter { $0.jolokia?.error == .refused }.count == 30)
        #expect(brokers.filter { $0.jolokia?.error == .timeout(afterMillis: 1000) }.count == 30)
        // Concurrency, not speed: about one timeout for the round, where 30 hung brokers
        // probed one after another would take 30. The figure itself is measured in the benchmarks.
        #expect(elapsed >= 1000, "300-broker round took \(elapsed) ms, less than the hung brokers' deadline")
        #expect(elapsed < 2 * 1000, "300-broker round took \(elapsed) ms: about one 1 s timeout was due, not several")
        print("300-broker round: \(elapsed) ms")
    }
}
