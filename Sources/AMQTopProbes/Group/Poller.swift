import AMQTopCore
import NIOConcurrencyHelpers

/// Polls a whole configuration on two cadences and streams what it sees.
///
/// Brokers are polled every `pollMillis`, lock files every `lockPollMillis` (a lock change
/// is the first sign of a failover). Like k9s, a probe whose previous run is still going is
/// skipped rather than queued, so a hung broker costs one in-flight probe, never a backlog.
/// Every broker probe is its own task, so hundreds of brokers poll side by side; lock files
/// are read in one blocking job per filesystem. Results arrive on `updates` in bursts (one
/// array per stream element, at most `UpdateBatcher.delay` late), so a consumer wakes once
/// per burst rather than once per result; without an event loop each result is a burst of one.
/// With `unchangedLocks: .whenNeeded`, a lock read that only repeats the last one handed on
/// is made but not always handed on (see `LockDeliveryGate`); a change always goes out in
/// the round that read it.
/// The schedule runs on the injected clock, so tests drive it with a `ManualClock`.
public actor Poller {
    /// The updates in bursts, each in the order its probes finished; finishes when the poller is stopped.
    public nonisolated let updates: AsyncStream<[PollUpdate]>

    private let config: AppConfig
    private let prober: GroupProber
    private let clock: any AppClock
    private nonisolated let continuation: AsyncStream<[PollUpdate]>.Continuation
    /// Behind a lock rather than the actor: a finished poll takes itself out without an actor
    /// hop, which with hundreds of brokers a second was a visible share of the cost.
    private nonisolated let brokersInFlight = NIOLockedValueBox<Set<BrokerKey>>([])
    /// Where broker polls run (the probes' event loop, see `PollExecutor`); nil: the cooperative pool.
    private nonisolated let pollExecutor: PollExecutor?
    /// Gathers broker results on that loop into bursts (nil without a loop: each goes out at once).
    private nonisolated let batcher: UpdateBatcher?
    private var locksInFlight: Set<String> = []
    /// Which lock reads go out: changes at once, unchanged ones when a broker result needs one
    /// (nil: every read, `UnchangedLockDelivery.everyRead`).
    private nonisolated let lockGate: LockDeliveryGate?
    /// The device each group's lock file was last seen on, to read files of one filesystem together.
    private var lockDevices: [String: UInt64] = [:]
    private var loops: [Task<Void, Never>] = []

    /// The longest an unchanged lock goes without a read handed on, broker results or not.
    static let unchangedLockRefreshMillis: Int64 = 1000

    /// How many bursts wait at most for a consumer that fell behind: about ten a second come
    /// (a broker round's, the lock rounds'), so several seconds of them, and as each holds at
    /// most about one round's results, a bound on memory near what one result a slot gave before.
    public static let burstBuffer = 64

    private struct BrokerKey: Hashable, Sendable {
        var group: String
        var broker: String
    }

    /// Lock files read in one `probeLocks` call: one route, and one filesystem once it is known.
    private struct LockBatchKey: Hashable, Sendable {
        var route: String
        var device: UInt64?
        /// Set while the device is not known: such a file gets a batch of its own.
        var group: String?
    }

    /// Creates a stopped poller; call `start()`.
    ///
    /// The stream keeps the newest `burstBuffer` bursts when the consumer falls behind (the
    /// dashboard's own queue bounds what it holds after that), so a stalled screen cannot grow
    /// memory without bound.
    /// `clock` paces both cadences and stamps `roundComplete`.
    /// `unchangedLocks` says whether lock reads that saw nothing new reach `updates` (every
    /// read is made either way).
    public init(
        config: AppConfig, prober: GroupProber, clock: any AppClock = SystemClock(), unchangedLocks: UnchangedLockDelivery = .everyRead
    ) {
        self.config = config
        lockGate = unchangedLocks == .whenNeeded ? LockDeliveryGate(refreshMillis: Self.unchangedLockRefreshMillis) : nil
        self.prober = prober
        self.clock = clock
        self.pollExecutor = prober.pollLoop.map { PollExecutor(eventLoop: $0) }
        (updates, continuation) = AsyncStream.makeStream(of: [PollUpdate].self, bufferingPolicy: .bufferingNewest(Self.burstBuffer))
        let stream = continuation
        batcher = prober.pollLoop.map { UpdateBatcher(eventLoop: $0, continuation: stream) }
    }

    /// Starts both cadences; the first rounds begin at once. Calling it twice does nothing.
    public func start() {
        guard loops.isEmpty else { return }
        let brokerInterval = max(10, config.pollMillis)
        let lockInterval = max(10, config.lockPollMillis)
        let clock = clock
        // The loops hold the poller until `stop()` cancels them: a running poller is owned by its schedule.
        loops.append(Task {
            await Self.every(millis: brokerInterval, on: clock) { await self.startBrokerRound() }
        })
        loops.append(Task {
            await Self.every(millis: lockInterval, on: clock) { await self.startLockRound() }
        })
    }

    /// Starts a round of everything now (probes still running from before are skipped).
    public func pollNow() {
        startLockRound()
        startBrokerRound()
    }

    /// Stops the cadences and finishes `updates`; probes already running are cancelled.
    public func stop() {
        for loop in loops { loop.cancel() }
        loops.removeAll()
        batcher?.flush()
        continuation.finish()
    }

    /// How many broker and lock probes are running now (for tests and the status line).
    public func inFlightCount() -> (brokers: Int, locks: Int) {
        (brokersInFlight.withLockedValue(\.count), locksInFlight.count)
    }

    // MARK: - Rounds

    /// Where a result goes: into the next burst, or (without an event loop) out at once as a burst of one.
    private nonisolated var deliverer: @Sendable (PollUpdate) -> Void {
        if let batcher { return { batcher.add($0) } }
        let continuation = continuation
        return { continuation.yield([$0]) }
    }

    private func startBrokerRound() {
        var due: [(BrokerKey, BrokerConfig, GroupConfig)] = []
        var skipped: [BrokerKey] = []
        brokersInFlight.withLockedValue { inFlight in
            for group in config.groups {
                for broker in group.brokers {
                    let key = BrokerKey(group: group.name, broker: broker.name)
                    if inFlight.insert(key).inserted { due.append((key, broker, group)) } else { skipped.append(key) }
                }
            }
        }
        let deliver = deliverer
        for key in skipped { deliver(.brokerSkipped(group: key.group, broker: key.broker)) }
        let prober = prober
        let continuation = continuation
        let clock = clock
        let inFlight = brokersInFlight
        let executor = pollExecutor
        let batcher = batcher
        let lockGate = lockGate
        Task(executorPreference: executor) {
            await Self.pollBrokers(due, prober: prober, executor: executor, inFlight: inFlight) { update in
                if let lockGate, case .broker(let group, _) = update { lockGate.brokerNews(group: group, atMillis: clock.nowMillis()) }
                deliver(update)
            }
            let done = PollUpdate.roundComplete(atMillis: clock.nowMillis())
            if let batcher { batcher.flush(then: done) } else { continuation.yield([done]) }
        }
    }

    /// One task per due broker, each taking itself out of `inFlight` when its poll is done;
    /// local brokers' tasks run on `executor` (the probes' event loop).
    ///
    /// Nonisolated on purpose: closures written inside the actor would be isolated to it, and
    /// every poll would hop onto the actor and off again around its probe.
    private nonisolated static func pollBrokers(
        _ due: [(BrokerKey, BrokerConfig, GroupConfig)], prober: GroupProber, executor: PollExecutor?,
        inFlight: NIOLockedValueBox<Set<BrokerKey>>, deliver: @escaping @Sendable (PollUpdate) -> Void
    ) async {
        await withTaskGroup(of: Void.self) { tasks in
            for (key, broker, group) in due {
                // A broker on another host is probed through its ssh session, whose writes may
                // block on a hung host: never on the event loop every local poll shares.
                tasks.addTask(executorPreference: broker.host == nil ? executor : nil) {
                    let observation = await prober.probeBroker(broker, in: group)
                    deliver(.broker(group: key.group, observation))
                    inFlight.withLockedValue { _ = $0.remove(key) }
                }
            }
        }
    }

    /// Reads the due lock files in one call per route and filesystem (see `LockReading.readLocks`).
    ///
    /// A file whose filesystem is not known yet (first read, missing file) gets a job of its
    /// own, so a hung mount delays only the files on it. A group stays in flight until its
    /// read really returns, even when its deadline was reported long before: a hung NFS read
    /// costs one blocked thread, not one more every round.
    private func startLockRound() {
        let due = config.groups.filter { $0.lockFile != nil && !locksInFlight.contains($0.name) }
        guard !due.isEmpty else { return }
        for group in due { locksInFlight.insert(group.name) }
        let prober = prober
        var batches: [LockBatchKey: [GroupConfig]] = [:]
        for group in due {
            let device = lockDevices[group.name]
            let key = LockBatchKey(route: prober.router.lockRoute(for: group).batch, device: device, group: device == nil ? group.name : nil)
            batches[key, default: []].append(group)
        }
        let deliver = deliverer
        let lockGate = lockGate
        for batch in batches.values {
            Task {
                let read = await prober.probeLocks(batch) { group, snapshot in
                    if lockGate?.shouldDeliver(group: group, snapshot) ?? true { deliver(.lock(group: group, snapshot)) }
                }
                self.finishedLocks(batch.map(\.name), read: read)
            }
        }
    }

    private func finishedLocks(_ groups: [String], read: [String: LockFileSnapshot]) {
        for group in groups {
            locksInFlight.remove(group)
            lockDevices[group] = read[group]?.device
        }
    }

    /// Calls `tick` now and then every `millis` on a fixed schedule (no drift), until cancelled.
    private static func every(millis: Int64, on clock: any AppClock, _ tick: @Sendable () async -> Void) async {
        var next = clock.nowMillis()
        while !Task.isCancelled {
            await tick()
            next += millis
            // A late tick (a stalled machine) starts the schedule afresh instead of bursting; so
            // does a wall clock stepped back (NTP), which would otherwise stall the schedule.
            let now = clock.nowMillis()
            if next < now || next > now + millis { next = now + millis }
            do { try await clock.sleep(untilMillis: next) } catch { return }
        }
    }
}
