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

        init(_ stream: AsyncStream<PollUpdate>) {
            task = Task { [self] in
                for await update in stream { append(update) }
            }
        }

        private func append(_ update: PollUpdate) {
            lock.lock()
            items.append((EpochClock.nowMillis(), update))
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
        defer { good.stop(); hung.stop() }
        let directory = try TemporaryDirectory()
        try LockFileReaderTests.writeLockFile(directory.path + "/lock", millis: 99)
        let (listenFD, openPort) = try TestHTTPServer.listen()
        defer { close(listenFD) }
        let config = AppConfig(timeoutMillis: 800, groups: [
            GroupConfig(name: "g1", lockFile: directory.path + "/lock", brokers: [
                BrokerConfig(name: "broker1", jolokia: good.url, mbeanBrokerName: "broker1", openwire: HostPort(host: "127.0.0.1", port: openPort)),
                BrokerConfig(name: "hung", jolokia: hung.url, mbeanBrokerName: "hung"),
            ]),
            GroupConfig(name: "g2", brokers: [BrokerConfig(name: "quiet")]),
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        let (groups, elapsed) = await Waiting.timed { await prober.probeAll(config) }
        await http.shutdown()
        #expect(groups.map(\.name) == ["g1", "g2"])
        #expect(groups[0].lock?.acquiredAtMillis == 99)
        #expect(groups[0].brokers.map(\.name) == ["broker1", "hung"])
        #expect(groups[0].brokers[0].jolokia?.slave == false)
        #expect(groups[0].brokers[0].openwire?.state == .open)
        #expect(groups[0].brokers[1].jolokia?.error == .timeout(afterMillis: 800))
        #expect(groups[1].brokers == [BrokerObservation(name: "quiet")])
        #expect(groups[1].lock == nil)
        // The round waits out the hung broker's deadline once; the bound only catches a probe
        // that ignores its deadline (the listener never answers). Speed is a benchmark's job.
        #expect(elapsed < 10_000, "round took \(elapsed) ms")
    }

    @Test func hungBrokerDelaysNobodyAndIsSkippedNotQueued() async throws {
        let good = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.slave()))
        let hung = try TestHTTPServer(always: .neverAnswer)
        defer { good.stop(); hung.stop() }
        let directory = try TemporaryDirectory()
        try LockFileReaderTests.writeLockFile(directory.path + "/lock", millis: 7)
        // A long deadline gives the other cadences room to show, even on a loaded machine.
        let config = AppConfig(pollMillis: 100, lockPollMillis: 50, timeoutMillis: 4000, groups: [
            GroupConfig(name: "g", lockFile: directory.path + "/lock", brokers: [
                BrokerConfig(name: "good", jolokia: good.url, mbeanBrokerName: "b"),
                BrokerConfig(name: "hung", jolokia: hung.url, mbeanBrokerName: "h"),
            ])
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let poller = Poller(config: config, prober: GroupProber(config: config, http: http))
        let collector = Collector(poller.updates)
        await poller.start()

        // The hung broker reports its timeout after one deadline, and is then polled again.
        #expect(await Waiting.until(millis: 20_000) { collector.count(where: Self.isBroker("hung")) >= 1 })
        let updates = collector.updates.map(\.update)
        let firstHung = try #require(updates.firstIndex { Self.isBroker("hung")($0) })
        let beforeHung = updates[..<firstHung]
        // Meanwhile the good broker and the lock file kept their own cadences, and the hung
        // broker was skipped (not queued) on every tick while its poll was still running.
        #expect(beforeHung.filter(Self.isBroker("good")).count >= 5, "\(beforeHung.filter(Self.isBroker("good")).count) good polls")
        #expect(beforeHung.filter(Self.isLock).count >= 10)
        #expect(beforeHung.filter { $0 == .brokerSkipped(group: "g", broker: "hung") }.count >= 5)
        if case .broker(_, let observation) = updates[firstHung] {
            #expect(observation.jolokia?.error == .timeout(afterMillis: 4000))
        }
        #expect(updates.contains { if case .roundComplete = $0 { true } else { false } })
        let inFlight = await poller.inFlightCount()
        #expect(inFlight.brokers <= 2 && inFlight.locks <= 1)

        await poller.stop()
        await collector.finished()
        await http.shutdown()
        // Never more than one outstanding request to the hung broker at a time.
        #expect(hung.requests.count <= 3)
    }

    @Test func pollNowStartsARoundAtOnce() async throws {
        let good = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { good.stop() }
        let config = AppConfig(pollMillis: 60_000, lockPollMillis: 60_000, timeoutMillis: 1000, groups: [
            GroupConfig(name: "g", brokers: [BrokerConfig(name: "broker1", jolokia: good.url, mbeanBrokerName: "broker1")])
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let poller = Poller(config: config, prober: GroupProber(config: config, http: http))
        let collector = Collector(poller.updates)
        await poller.start()
        #expect(await Waiting.until(millis: 20_000) { collector.count(where: Self.isBroker("broker1")) == 1 })
        await poller.pollNow()
        // With a 60 s cadence, a second poll within this deadline can only come from pollNow.
        #expect(await Waiting.until(millis: 20_000) { collector.count(where: Self.isBroker("broker1")) == 2 })
        await poller.stop()
        await collector.finished()
        await http.shutdown()
    }

    /// 300 brokers in 30 groups behind one endpoint: a round completes well within one second.
    @Test func hundredsOfBrokersPerRound() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { server.stop() }
        let refused = try TestHTTPServer.refusedPort()
        let directory = try TemporaryDirectory()
        try LockFileReaderTests.writeLockFile(directory.path + "/lock", millis: 5)
        let groups = (0..<30).map { g in
            GroupConfig(name: "g\(g)", lockFile: directory.path + "/lock", brokers: (0..<10).map { b in
                BrokerConfig(
                    name: "b\(b)", jolokia: b == 9 ? "http://127.0.0.1:\(refused)/api/jolokia" : server.url,
                    mbeanBrokerName: "broker1")
            })
        }
        let config = AppConfig(timeoutMillis: 2000, groups: groups)
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        _ = await prober.probeAll(config)  // warm the connection pool
        let (observed, elapsed) = await Waiting.timed { await prober.probeAll(config) }
        await http.shutdown()
        let brokers = observed.flatMap(\.brokers)
        #expect(brokers.count == 300)
        #expect(brokers.filter { $0.jolokia?.slave == false }.count == 270)
        #expect(brokers.filter { $0.jolokia?.error == .refused }.count == 30)
        // Concurrency, not speed: 300 brokers probed one after another, 30 of them refused and
        // the rest answering, would not fit; the figure itself is measured in the benchmarks.
        #expect(elapsed < 15_000, "300-broker round took \(elapsed) ms")
        print("300-broker round: \(elapsed) ms")
    }
}
