import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// Lock reads that repeat the last one are made every lockPoll but handed on only when a
/// broker result needs a fresh read time (or once a second); a change goes out at once.
@Suite struct LockDeliveryGateTests {
    static func read(at millis: Int64, holder: LockFileSnapshot.Holder = .pid(42), acquired: Int64 = 1_764_000_000_000) -> LockFileSnapshot {
        LockFileSnapshot(path: "/data/g/lock", atMillis: millis, state: .ok, size: 8, mtimeMillis: acquired, device: 2049, inode: 7,
                         acquiredAtMillis: acquired, holder: holder, filesystem: FilesystemInfo(type: "ext4"), mtimeNanos: acquired * 1_000_000)
    }

    // MARK: - The gate alone

    @Test func anUnchangedReadGoesOutOnlyAfterBrokerNewsOrTheRefresh() {
        let gate = LockDeliveryGate(refreshMillis: 1000)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 0)), "the first read of a group always goes out")
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 250)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 500)))
        // A broker result at 600: the next read (taken after it) confirms it, so it goes out.
        gate.brokerNews(group: "g", atMillis: 600)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 750)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 1000)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 1500)))
        // No broker news: an unchanged lock still goes out once `refreshMillis` after the last one.
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 1750)))
        // Other groups are their own business.
        #expect(gate.shouldDeliver(group: "other", Self.read(at: 1800)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 2000)))
    }

    @Test func aReadTakenBeforeTheBrokerNewsDoesNotUseItUp() {
        let gate = LockDeliveryGate(refreshMillis: 1000)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 0)))
        gate.brokerNews(group: "g", atMillis: 300)
        // Read at 250, handed on after the news came in: it goes out, but cannot confirm a
        // signal seen at 300, so the next read goes out too.
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 250)))
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 500)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 750)))
        // News in the very millisecond of the last read handed on: a tie, so the next one goes out.
        gate.brokerNews(group: "g", atMillis: 500)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 1000)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 1250)))
    }

    @Test(arguments: [
        ("holder", Self.read(at: 250, holder: .pid(43))),
        ("holder elsewhere", Self.read(at: 250, holder: .elsewhere)),
        ("timestamp", Self.read(at: 250, acquired: 1_764_000_000_001)),
        ("timed out", LockFileSnapshot(path: "/data/g/lock", atMillis: 250, state: .error("no answer within 2000 ms (hung filesystem?)"),
                                       holder: .unknown("filesystem not answering"))),
    ])
    func anyChangeGoesOutAtOnce(change: String, snapshot: LockFileSnapshot) {
        let gate = LockDeliveryGate(refreshMillis: 1000)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 0)))
        #expect(gate.shouldDeliver(group: "g", snapshot), "\(change)")
        // And back: the change is the new reference.
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 500)), "\(change), back")
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 750)))
    }

    @Test func everyOtherFieldCountsAsAChange() {
        let base = Self.read(at: 0)
        var changes: [LockFileSnapshot] = []
        var mtime = base
        mtime.mtimeNanos = base.mtimeNanos.map { $0 + 1 }
        changes.append(mtime)
        var inode = base
        inode.inode = 8
        changes.append(inode)
        var size = base
        size.size = 9
        changes.append(size)
        var filesystem = base
        filesystem.filesystem = FilesystemInfo(type: "nfs4", nfsVersion: "4.2")
        changes.append(filesystem)
        var host = base
        host.holderHost = "node2"
        changes.append(host)
        for change in changes {
            #expect(!LockDeliveryGate.isUnchanged(change, since: base), "\(change)")
        }
        var later = base
        later.atMillis = 99_999
        #expect(LockDeliveryGate.isUnchanged(later, since: base))
    }

    @Test func aWallClockSteppedBackDeliversInsteadOfGoingQuiet() {
        let gate = LockDeliveryGate(refreshMillis: 1000)
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 3_600_000)))
        // NTP steps the clock back an hour: reads now look older than the last one handed on.
        #expect(gate.shouldDeliver(group: "g", Self.read(at: 250)))
        #expect(!gate.shouldDeliver(group: "g", Self.read(at: 500)))
    }

    // MARK: - Through the poller, on a manual clock

    /// The lock snapshots the poller handed on, in order.
    static func locks(_ collector: PollerTests.Collector) -> [LockFileSnapshot] {
        collector.updates.compactMap { if case .lock(_, let snapshot) = $0.update { snapshot } else { nil } }
    }

    @Test func thePollerReadsEveryTickHandsOnChangesInTheSameRoundAndConfirmsBrokerResults() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        let poller = Poller(config: PollerTests.scheduled(["b1"]), prober: GroupProber(router: probes), clock: clock, unchangedLocks: .whenNeeded)
        let collector = PollerTests.Collector(poller.updates)
        await poller.start()
        #expect(await PollerTests.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).count == 1 && collector.count(where: PollerTests.isBroker("b1")) == 1 })

        // The broker result of t0 is confirmed by a read taken at or after it (t0 + 250 at the latest).
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { probes.lockCalls.count == 2 })
        #expect(await PollerTests.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).count == 2 })
        // Then nothing new: the next two reads are made, and not handed on.
        for step in 1...2 {
            clock.advance(byMillis: 250)
            #expect(await Waiting.until(millis: 10_000) { probes.lockCalls.count == 2 + step })
            #expect(await PollerTests.settled(clock))
        }
        #expect(Self.locks(collector).count == 2)

        // A takeover between two reads: the very next read hands the new holder on.
        probes.setLockHolder(.pid(4242))
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).last?.holder == .pid(4242) })
        #expect(Self.locks(collector).last?.atMillis == t0 + 1000)
        #expect(await Waiting.until(millis: 10_000) { collector.count(where: PollerTests.isBroker("b1")) == 2 })
        #expect(await PollerTests.settled(clock))

        // The broker result of t0 + 1000 came in after (or with) that read: the next read, unchanged, goes out to confirm it.
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { probes.lockCalls.count == 6 })
        #expect(await PollerTests.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).map(\.atMillis) == [t0, t0 + 250, t0 + 1000, t0 + 1250] })
        #expect(Self.locks(collector).last?.holder == .pid(4242))
        await poller.stop()
        await collector.finished()
    }

    @Test func withoutBrokerNewsAnUnchangedLockStillGoesOutOnceASecondAndATimeoutAtOnce() async throws {
        let clock = ManualClock()
        let t0 = clock.nowMillis()
        let probes = FakeProbes(clock: clock)
        // Brokers polled once a minute: only the refresh hands unchanged reads on.
        let poller = Poller(
            config: PollerTests.scheduled(["b1"], pollMillis: 60_000), prober: GroupProber(router: probes), clock: clock, unchangedLocks: .whenNeeded)
        let collector = PollerTests.Collector(poller.updates)
        await poller.start()
        #expect(await PollerTests.settled(clock))
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).count == 1 && collector.count(where: PollerTests.isBroker("b1")) == 1 })
        for step in 1...5 {
            clock.advance(byMillis: 250)
            #expect(await Waiting.until(millis: 10_000) { probes.lockCalls.count == 1 + step })
            #expect(await PollerTests.settled(clock))
        }
        // t0 (first), t0 + 250 (after the broker result of t0), t0 + 1250 (a second later).
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).map(\.atMillis) == [t0, t0 + 250, t0 + 1250] })

        // A hung filesystem: the timeout is handed on in the round that hit it.
        probes.hangLocks()
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) {
            if case .error(let message)? = Self.locks(collector).last?.state { message.contains("fake hung mount") } else { false }
        })
        probes.releaseLocks()
        #expect(await Waiting.until(millis: 10_000) { await poller.inFlightCount().locks == 0 })
        #expect(await PollerTests.settled(clock))
        // The next good read differs from the timeout: it goes out at once.
        clock.advance(byMillis: 250)
        #expect(await Waiting.until(millis: 10_000) { Self.locks(collector).last?.state == .ok && Self.locks(collector).last?.atMillis == t0 + 1750 })
        await poller.stop()
        await collector.finished()
    }
}
