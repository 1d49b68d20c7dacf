import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// Lock files read in batches, one blocking job per filesystem: a file that hangs (a dead NFS
/// server) is reported at the deadline, is not read again while its read is stuck, and
/// delays no file on another filesystem.
@Suite struct LockFileBatchTests {
    /// A read function that blocks on chosen paths until released, counting calls per path.
    final class FakeFilesystem: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [String: Int] = [:]
        private let release = DispatchSemaphore(value: 0)
        private var released = false
        private let hanging: Set<String>
        private let devices: [String: UInt64]

        init(hanging: Set<String>, devices: [String: UInt64] = [:]) {
            self.hanging = hanging
            self.devices = devices
        }

        /// The snapshot `LockFileReader` would give for a free, healthy file on `devices[path]`.
        func read(_ path: String) -> LockFileSnapshot {
            let mustWait = lock.withLock {
                calls[path, default: 0] += 1
                return hanging.contains(path) && !released
            }
            if mustWait { release.wait() }
            return LockFileSnapshot(path: path, atMillis: SystemClock().nowMillis(), state: .ok, size: 8,
                                    device: devices[path] ?? 1, inode: 1, acquiredAtMillis: 42, holder: .free)
        }

        func calls(_ path: String) -> Int { lock.withLock { calls[path] ?? 0 } }

        /// Lets every blocked and future read of a hanging path return.
        func unblock() {
            let blocked = lock.withLock {
                released = true
                return calls.filter { hanging.contains($0.key) }.values.reduce(0, +)
            }
            for _ in 0..<blocked { release.signal() }
        }
    }

    /// Delivered snapshots in arrival order.
    final class Deliveries: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(key: String, snapshot: LockFileSnapshot)] = []

        func append(_ key: String, _ snapshot: LockFileSnapshot) { lock.withLock { items.append((key, snapshot)) } }
        var all: [(key: String, snapshot: LockFileSnapshot)] { lock.withLock { items } }
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static func isTimeout(_ snapshot: LockFileSnapshot) -> Bool {
        if case .error(let message) = snapshot.state { return message.contains("no answer within") }
        return false
    }

    @Test func aHungFileIsReportedAtTheDeadlineAndTheBatchWaitsForTheRealRead() async throws {
        let filesystem = FakeFilesystem(hanging: ["/nfs/b/lock"])
        let probe = LockFileProbe(timeoutMillis: 300) { filesystem.read($0) }
        let deliveries = Deliveries()
        let finished = Flag()
        let batch = Task {
            let read = await probe.readBatch(
                [(key: "a", path: "/nfs/a/lock"), (key: "b", path: "/nfs/b/lock"), (key: "c", path: "/nfs/c/lock")]
            ) { deliveries.append($0, $1) }
            finished.set()
            return read
        }
        // "a" is read before the hang; "b" hangs and "c" waits behind it: both reported at the deadline.
        #expect(await Waiting.until(millis: 10_000) { deliveries.all.count == 3 })
        let byKey = Dictionary(uniqueKeysWithValues: deliveries.all.map { ($0.key, $0.snapshot) })
        #expect(byKey["a"]?.state == .ok)
        #expect(byKey["b"].map(Self.isTimeout) == true, "\(String(describing: byKey["b"]))")
        #expect(byKey["c"].map(Self.isTimeout) == true)
        #expect(deliveries.all.first?.key == "a")
        // The job is still stuck, so the batch has not returned: its caller keeps the files in flight.
        #expect(!finished.isSet)

        filesystem.unblock()
        let read = await batch.value
        #expect(Set(read.keys) == ["a", "b", "c"], "the real reads come back when the job ends")
        #expect(read["b"]?.state == .ok)
        #expect(deliveries.all.count == 3, "a late result after its timeout is not delivered a second time")
    }

    @Test func aBatchThatFinishesInTimeDeliversEachFileOnceAndNoTimeouts() async throws {
        let filesystem = FakeFilesystem(hanging: [])
        let probe = LockFileProbe(timeoutMillis: 200) { filesystem.read($0) }
        let deliveries = Deliveries()
        let read = await probe.readBatch((0..<50).map { (key: "g\($0)", path: "/data/g\($0)/lock") }) { deliveries.append($0, $1) }
        #expect(read.count == 50)
        // Past the deadline: the cancelled watchdog must not report the finished batch as timed out.
        #expect(await Waiting.until(millis: 400) { deliveries.all.count > 50 } == false)
        #expect(deliveries.all.count == 50)
        #expect(deliveries.all.map(\.key) == (0..<50).map { "g\($0)" })
        #expect(!deliveries.all.contains { Self.isTimeout($0.snapshot) })
    }

    /// The poller: a group whose filesystem hangs is reported once per stuck read and skipped
    /// while it is stuck; a group on another filesystem keeps its cadence meanwhile.
    @Test func pollerKeepsOtherFilesystemsGoingAndNeverPilesUpReadsOfAHungOne() async throws {
        let filesystem = FakeFilesystem(hanging: ["/nfs/lock"], devices: ["/nfs/lock": 7, "/local/lock": 3])
        let config = AppConfig(pollMillis: 60_000, lockPollMillis: 50, timeoutMillis: 300, groups: [
            GroupConfig(name: "hung", lockFile: "/nfs/lock", brokers: []),
            GroupConfig(name: "local", lockFile: "/local/lock", brokers: []),
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let base = LocalProbeRouter(config: config, http: http)
        let prober = GroupProber(router: LocalProbeRouter(
            jolokia: base.jolokia, lock: LockFileProbe(timeoutMillis: config.timeoutMillis) { filesystem.read($0) },
            port: base.port, pid: base.pid))
        let poller = Poller(config: config, prober: prober)
        let collector = PollerTests.Collector(poller.updates)
        await poller.start()

        @Sendable func locks(_ group: String) -> [LockFileSnapshot] {
            collector.updates.compactMap { if case .lock(group, let snapshot) = $0.update { snapshot } else { nil } }
        }
        // Two seconds' worth of rounds at 50 ms: the local group keeps coming...
        #expect(await Waiting.until(millis: 20_000) { locks("local").count >= 20 && !locks("hung").isEmpty })
        #expect(locks("local").allSatisfy { $0.state == .ok })
        // ...while the hung one was reported timed out once and never read a second time.
        #expect(locks("hung").count == 1)
        #expect(locks("hung").first.map(Self.isTimeout) == true)
        #expect(filesystem.calls("/nfs/lock") == 1, "\(filesystem.calls("/nfs/lock")) reads of the hung file")
        #expect(await poller.inFlightCount().locks >= 1)

        // The server comes back: the stuck read returns and the group is read on the cadence again.
        filesystem.unblock()
        #expect(await Waiting.until(millis: 20_000) { locks("hung").contains { $0.state == .ok } })
        #expect(filesystem.calls("/nfs/lock") >= 2)

        await poller.stop()
        await collector.finished()
        await http.shutdown()
    }
}
