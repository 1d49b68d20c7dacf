import AMQTopCore
import Testing
@testable import AMQTopActions

/// Stops go where the broker runs: a broker with `host:` is never stopped on this machine.
@Suite struct StopRouterTests {
    /// A stopper that says which side it is and records whom it was asked to stop.
    final class Side: BrokerStopping, @unchecked Sendable {
        // Written and read by one test task at a time.
        let name: String
        var stopped: [String] = []
        init(_ name: String) { self.name = name }
        func stop(_ broker: BrokerConfig) async -> StopOutcome {
            stopped.append(broker.name)
            return .sent("\(name) stopped \(broker.name)")
        }
    }

    @Test func brokersWithAHostGoToTheRemoteStopperTheOthersStayHere() async {
        let local = Side("local"), remote = Side("remote")
        let router = StopRouter(local: local, remote: remote)
        var there = BrokerConfig(name: "b1", stop: .signal)
        there.host = "amq1"
        let here = BrokerConfig(name: "b2", stop: .signal)
        #expect(await router.stop(there) == .sent("remote stopped b1"))
        #expect(await router.stop(here) == .sent("local stopped b2"))
        #expect(local.stopped == ["b2"] && remote.stopped == ["b1"])
    }

    @Test func aBrokerWithAHostAndNoRemoteStopperIsRefusedNotSignalledHere() async {
        let local = Side("local")
        var there = BrokerConfig(name: "b1", stop: .signal)
        there.host = "amq1"
        let outcome = await StopRouter(local: local, remote: nil).stop(there)
        #expect(outcome.word == "refused", "\(outcome)")
        #expect(outcome.detail.contains("amq1"))
        #expect(local.stopped.isEmpty)
    }
}
