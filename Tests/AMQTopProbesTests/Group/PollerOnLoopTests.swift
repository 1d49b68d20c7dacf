import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The `Poller` as the dashboard runs it: polls on the probes' event loop (`PollExecutor`),
/// results handed over in bursts (`UpdateBatcher`), against real listeners on 127.0.0.1.
@Suite struct PollerOnLoopTests {
    @Test func everyResultOfARoundArrivesBeforeItsEndAndAHungBrokerHoldsNobodyBack() async throws {
        let good = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        let hung = try TestHTTPServer(always: .neverAnswer)
        defer { good.stop(); hung.stop() }
        let brokers = (0..<20).map { BrokerConfig(name: "b\($0)", jolokia: good.url, mbeanBrokerName: "broker1") }
            + [BrokerConfig(name: "hung", jolokia: hung.url, mbeanBrokerName: "broker1")]
        // A 200 ms cadence and a 3 s deadline: the hung broker stays in flight over many rounds.
        let config = AppConfig(pollMillis: 200, timeoutMillis: 3000, groups: [GroupConfig(name: "g", brokers: brokers)])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        #expect(prober.pollLoop != nil)
        let poller = Poller(config: config, prober: prober)
        let collector = PollerTests.Collector(poller.updates)
        await poller.start()
        let enough = await Waiting.until(millis: 20_000) {
            collector.count(where: PollerTests.isBroker("b0")) >= 4 && collector.count(where: PollerTests.isBroker("hung")) >= 1
        }
        await poller.stop()
        await collector.finished()
        await http.shutdown()
        #expect(enough, "updates: \(collector.updates.count)")
        let updates = collector.updates.map(\.update)
        // The healthy brokers kept being polled while the hung one was in flight (skipped, not queued).
        #expect(updates.contains { if case .brokerSkipped(_, "hung") = $0 { true } else { false } })
        let healthy = updates.compactMap { update -> JolokiaObservation? in
            if case .broker(_, let observation) = update, observation.name != "hung" { return observation.jolokia }
            return nil
        }
        #expect(healthy.count >= 4 * 20)
        #expect(healthy.allSatisfy { $0.error == nil && $0.slave == false })
        #expect(updates.contains { if case .broker(_, let o) = $0 { o.name == "hung" && o.jolokia?.error == .timeout(afterMillis: 3000) } else { false } })
        // Within each round's span, its 20 healthy results come before its end mark: a burst
        // is flushed before the round is declared complete.
        var sinceMark = 0
        var roundsWithAllResults = 0
        for update in updates {
            switch update {
            case .broker(_, let observation) where observation.name != "hung": sinceMark += 1
            case .roundComplete:
                if sinceMark >= 20 { roundsWithAllResults += 1 }
                sinceMark = 0
            default: break
            }
        }
        #expect(roundsWithAllResults >= 3, "rounds whose 20 results all came before their end mark: \(roundsWithAllResults)")
        // A round's results arrive together: a few stream elements per round, not one per result.
        #expect(collector.bursts * 4 <= updates.count, "\(collector.bursts) bursts for \(updates.count) updates")
    }
}
