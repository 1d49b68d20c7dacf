import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// `GroupProber` asks its router for every probe: what the multi-host probes will plug into.
@Suite struct GroupProberRoutingTests {
    /// Sends brokers and lock files named "far..." to `far`, everything else to `near`.
    struct SplitRouter: ProbeRouting {
        var near: FakeProbes
        var far: FakeProbes

        func probes(for broker: BrokerConfig, in group: GroupConfig) -> BrokerProbes {
            (broker.name.hasPrefix("far") ? far : near).probes(for: broker, in: group)
        }

        func lockRoute(for group: GroupConfig) -> LockRoute {
            (group.name.hasPrefix("far") ? far : near).lockRoute(for: group)
        }
    }

    @Test func eachBrokerIsProbedByTheImplementationItsRouteNames() async {
        let clock = ManualClock()
        let near = FakeProbes(clock: clock, batch: "near")
        let far = FakeProbes(clock: clock, batch: "far")
        let group = GroupConfig(name: "g", lockFile: "/l", brokers: [
            BrokerConfig(name: "b1", jolokia: "http://x", openwire: HostPort(host: "x", port: 1), pidFile: "/p"),
            BrokerConfig(name: "far1", jolokia: "http://y"),
        ])
        let observation = await GroupProber(router: SplitRouter(near: near, far: far)).probeGroup(group)
        #expect((near.pollCount("b1"), near.pollCount("far1")) == (1, 0))
        #expect((far.pollCount("b1"), far.pollCount("far1")) == (0, 1))
        #expect(observation.brokers.map(\.name) == ["b1", "far1"])
        #expect(observation.brokers[0].openwire?.state == .open && observation.brokers[0].process?.pid == 42)
        // What is not configured is not probed, whatever the route.
        #expect(observation.brokers[1].openwire == nil && observation.brokers[1].process == nil)
        #expect(observation.lock?.path == "/l")
    }

    @Test func aStopTakesTheRouteOfTheBrokersPolls() async {
        let clock = ManualClock()
        let near = FakeProbes(clock: clock, batch: "near")
        let far = FakeProbes(clock: clock, batch: "far")
        let group = GroupConfig(name: "g", brokers: [BrokerConfig(name: "b1"), BrokerConfig(name: "far1")])
        let prober = GroupProber(router: SplitRouter(near: near, far: far))
        #expect(await prober.stopThroughEndpoint(group.brokers[1], in: group) == .accepted)
        #expect(far.stopped == ["far1"] && near.stopped.isEmpty)
    }

    @Test func lockFilesAreReadInOneCallPerRouteWithThatRoutesGroupsOnly() async {
        let clock = ManualClock()
        let near = FakeProbes(clock: clock, batch: "near")
        let far = FakeProbes(clock: clock, batch: "far")
        let groups = [
            GroupConfig(name: "near1", lockFile: "/a"), GroupConfig(name: "far1", lockFile: "/b"),
            GroupConfig(name: "near2", lockFile: "/c"), GroupConfig(name: "near3"),
        ]
        let delivered = Delivered()
        let read = await GroupProber(router: SplitRouter(near: near, far: far)).probeLocks(groups) { group, _ in delivered.add(group) }
        #expect(near.lockCalls == [["near1", "near2"]])
        #expect(far.lockCalls == [["far1"]])
        #expect(read.keys.sorted() == ["far1", "near1", "near2"])
        #expect(delivered.names.sorted() == ["far1", "near1", "near2"])
    }

    /// The default `readLock` returns at the first delivery (a timeout), not when the stuck read returns.
    @Test func aOneOffLockReadReturnsAtTheDeadlineWhileTheReadIsStuck() async {
        let probes = FakeProbes(clock: ManualClock())
        probes.hangLocks()
        let snapshot = await probes.readLock(of: GroupConfig(name: "g", lockFile: "/hung"))
        #expect(snapshot?.state == .error("no answer (fake hung mount)"))
        #expect(probes.lockCalls == [["g"]])
        probes.releaseLocks()
        #expect(await probes.readLock(of: GroupConfig(name: "g")) == nil)
    }

    /// Names handed to a `deliver` callback.
    final class Delivered: @unchecked Sendable {
        // @unchecked: `list` is guarded by `lock`.
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ name: String) { lock.withLock { list.append(name) } }
        var names: [String] { lock.withLock { list } }
    }
}
