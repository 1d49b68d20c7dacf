import AMQTopCore
import Foundation

@testable import AMQTopProbes

/// Every probe seam at once, answering from memory: stands in for the network and the disk
/// so the poller's and prober's own logic can be tested on a `ManualClock`.
///
/// Brokers answer at once as a master stamped with the clock's time, unless `hold`; a held
/// broker's poll waits until `release`, like a hung endpoint. Lock files read at once, unless
/// `hangLocks`: then the reader delivers a timed-out snapshot and its read stays stuck until
/// `releaseLocks`, the contract `LockReading` asks of a reader on a hung mount.
final class FakeProbes: ProbeRouting, EndpointPolling, PortChecking, ProcessChecking, LockReading, @unchecked Sendable {
    // @unchecked: every stored var is guarded by `lock`.
    private let lock = NSLock()
    private let clock: any AppClock
    /// Which lock batch this fake's route names (two fakes with different names are two routes).
    let batch: String
    private var polls: [String: Int] = [:]
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var lockReads: [[String]] = []
    private var locksHang = false
    private var stuckReads: [CheckedContinuation<Void, Never>] = []
    private var stops: [String] = []
    private var lockHolder: LockFileSnapshot.Holder = .free

    init(clock: any AppClock, batch: String = "fake") {
        self.clock = clock
        self.batch = batch
    }

    // MARK: - Control

    /// Makes the broker's next polls wait until `release`.
    func hold(_ broker: String) {
        lock.withLock { _ = held.insert(broker) }
    }

    /// Lets the broker's waiting polls answer, and the next ones answer at once.
    func release(_ broker: String) {
        let resumed: [CheckedContinuation<Void, Never>] = lock.withLock {
            held.remove(broker)
            return waiting.removeValue(forKey: broker) ?? []
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Makes lock reads deliver a timeout and stay stuck until `releaseLocks`.
    func hangLocks() {
        lock.withLock { locksHang = true }
    }

    /// Unsticks the stuck lock reads, and lets later ones read at once.
    func releaseLocks() {
        let resumed: [CheckedContinuation<Void, Never>] = lock.withLock {
            locksHang = false
            defer { stuckReads = [] }
            return stuckReads
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Makes the next lock reads show `holder` (a takeover, as far as the poller can tell).
    func setLockHolder(_ holder: LockFileSnapshot.Holder) {
        lock.withLock { lockHolder = holder }
    }

    /// How many polls of `broker` have started.
    func pollCount(_ broker: String) -> Int {
        lock.withLock { polls[broker, default: 0] }
    }

    /// The brokers sent a stop, in order.
    var stopped: [String] {
        lock.withLock { stops }
    }

    /// The group names of each `readLocks` call, in call order.
    var lockCalls: [[String]] {
        lock.withLock { lockReads }
    }

    // MARK: - Seams

    func probes(for broker: BrokerConfig, in group: GroupConfig) -> BrokerProbes {
        BrokerProbes(endpoint: self, port: self, process: self)
    }

    func lockRoute(for group: GroupConfig) -> LockRoute {
        LockRoute(batch: batch, reader: self)
    }

    func poll(_ broker: BrokerConfig) async -> JolokiaObservation? {
        let mustWait: Bool = lock.withLock {
            polls[broker.name, default: 0] += 1
            return held.contains(broker.name)
        }
        if mustWait {
            await withCheckedContinuation { continuation in
                let stillHeld: Bool = lock.withLock {
                    guard held.contains(broker.name) else { return false }
                    waiting[broker.name, default: []].append(continuation)
                    return true
                }
                if !stillHeld { continuation.resume() }
            }
        }
        return JolokiaObservation(atMillis: clock.nowMillis(), mbeanBrokerName: broker.name, slave: false)
    }

    func stop(_ broker: BrokerConfig) async -> JolokiaStopOutcome {
        lock.withLock { stops.append(broker.name) }
        return .accepted
    }

    func check(_ broker: BrokerConfig) async -> PortObservation? {
        broker.openwire.map { _ in PortObservation(atMillis: clock.nowMillis(), state: .open) }
    }

    func check(_ broker: BrokerConfig) async -> ProcessObservation? {
        broker.pidFile.map { _ in ProcessObservation(atMillis: clock.nowMillis(), pid: 42, state: .alive) }
    }

    func readLocks(
        of groups: [GroupConfig], deliver: @escaping @Sendable (String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        let withFiles = groups.filter { $0.lockFile != nil }
        let hangs: Bool = lock.withLock {
            lockReads.append(withFiles.map(\.name))
            return locksHang
        }
        if hangs {
            for group in withFiles { deliver(group.name, snapshot(group, state: .error("no answer (fake hung mount)"))) }
            await withCheckedContinuation { continuation in
                let stuck: Bool = lock.withLock {
                    guard locksHang else { return false }
                    stuckReads.append(continuation)
                    return true
                }
                if !stuck { continuation.resume() }
            }
            return [:]
        }
        var read: [String: LockFileSnapshot] = [:]
        for group in withFiles {
            let snapshot = snapshot(group, state: .ok)
            read[group.name] = snapshot
            deliver(group.name, snapshot)
        }
        return read
    }

    private func snapshot(_ group: GroupConfig, state: LockFileSnapshot.State) -> LockFileSnapshot {
        LockFileSnapshot(path: group.lockFile ?? "", atMillis: clock.nowMillis(), state: state, holder: lock.withLock { lockHolder })
    }
}
