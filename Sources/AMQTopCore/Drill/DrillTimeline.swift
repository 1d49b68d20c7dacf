/// A failover drill as it unfolds: the stop, then each phase as the probes see it.
///
/// Pure: it is fed the group's observations with the time. Each observation is read with
/// `BrokerEvidence`, the rules the failover history uses, and the phases are dated with
/// `TakeoverTiming`, the history's rule too, so a drill and the history give the same time
/// without a master for the same failover (within the poll that separates their samples).
///
/// The phases are kept in time order: old master gone ≤ lock released ≤ lock acquired ≤
/// new master serving, where seen. The lock is the earlier proof when the old master's own
/// probes lag (ActiveMQ closes its connectors before it releases its lock), except when the
/// old master was seen serving after the lock moved: then "gone" stays where it was seen.
/// No phase is dated before the stop: a lock timestamp before it is the broker host's clock
/// running ahead of this one's.
public struct DrillTimeline: Equatable, Sendable {
    public var group: String
    public var oldMaster: String
    /// The old master's lock tenure start, to tell a new acquisition from the old one.
    public var oldAcquiredAtMillis: Int64?
    public var stopSentAtMillis: Int64
    public var expectedWorstCaseFailoverMillis: Int64
    /// The broker that took the lock (when its pid maps to a configured broker).
    public private(set) var lockTakenBy: String?
    public private(set) var newMaster: String?
    /// Set when the stop could not be sent.
    public private(set) var stopError: String?

    /// The first signal after the stop that the old master does not serve.
    private var goneSeen: EvidenceSignal?
    /// The old master's latest serving signal seen, the floor for dating it gone by the lock.
    private var oldLastServing: PhaseStamp?
    /// The first lock read with no holder once the old master was seen gone.
    private var freeSeen: Int64?
    /// The acquisition timestamp the new master wrote.
    private var acquiredSeen: Int64?
    /// The new master's serving signal (`Slave=false` or `OpenWire open`).
    private var servingSeen: EvidenceSignal?
    /// True while the old master's latest word is that it serves (a lock taken behind it).
    private var oldStillServes = false

    /// Extra time past the expected worst case before "in progress" turns into "failed".
    public static func graceMillis(expected: Int64) -> Int64 { max(3000, expected / 2) }

    public init(group: String, oldMaster: String, oldAcquiredAtMillis: Int64?, stopSentAtMillis: Int64, expectedWorstCaseFailoverMillis: Int64) {
        self.group = group
        self.oldMaster = oldMaster
        self.oldAcquiredAtMillis = oldAcquiredAtMillis
        self.stopSentAtMillis = stopSentAtMillis
        self.expectedWorstCaseFailoverMillis = expectedWorstCaseFailoverMillis
    }

    /// Records that the stop could not be sent: the drill ends as failed.
    public mutating func stopFailed(_ reason: String) { stopError = reason }

    /// Feeds one look at the group; phases seen for the first time are recorded.
    ///
    /// Each phase is timed by the observation that showed it (when the probe answered),
    /// not by when the screen got round to it; `nowMillis` is not needed for that and is
    /// kept for callers.
    public mutating func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) {
        guard stopError == nil else { return }
        let lock = observation.lock
        let timestamp = lock?.state == .ok ? lock?.acquiredAtMillis : nil
        // Still looked for after the new master serves: the lock poll may lag the brokers'.
        if acquiredSeen == nil, let acquired = timestamp, acquired != oldAcquiredAtMillis, acquired >= stopSentAtMillis - 1000 {
            acquiredSeen = acquired
            lockTakenBy = assessment.lockHolderBroker
        }
        guard servingSeen == nil else { return }
        let cutoff = timestamp ?? oldAcquiredAtMillis
        let evidence = observation.brokers.map { BrokerEvidence(name: $0.name, observation: $0, lock: lock, staleBeforeMillis: cutoff) }
        if let old = evidence.first(where: { $0.name == oldMaster }) {
            oldStillServes = old.serves
            if old.serves {
                // Serving again: what looked like it going was a missed poll (the history's rule too).
                oldLastServing = old.lastServing?.stamp
                goneSeen = nil
                freeSeen = nil
            } else if goneSeen == nil, var against = old.notServing {
                against.atMillis = max(against.atMillis, stopSentAtMillis)
                goneSeen = against
            }
        }
        if freeSeen == nil, acquiredSeen == nil, goneSeen != nil, let lock, lock.state == .ok, lock.holder == .free {
            freeSeen = max(lock.atMillis, stopSentAtMillis)
        }
        let serving = evidence.filter(\.serves)
        if serving.count == 1, let winner = serving.first, winner.name != oldMaster, let signal = winner.lastServing {
            servingSeen = signal
            newMaster = winner.name
        }
    }

    /// When each phase was seen (epoch ms), in time order; `lockAcquired` is the lock file's own timestamp.
    public var phases: [DrillPhase: Int64] { ordered().mapValues(\.at) }

    /// Which signal showed each phase, e.g. "lock file timestamp", "Slave=false", "process 4242 not running".
    public var signals: [DrillPhase: String] { ordered().mapValues(\.signal) }

    /// Where the drill stands as of `nowMillis`.
    public func verdict(nowMillis: Int64) -> DrillVerdict {
        if let stopError { return .failed("stop not sent: \(stopError)") }
        if let served = servingSeen?.atMillis {
            let took = max(served, stopSentAtMillis) - stopSentAtMillis
            return took <= expectedWorstCaseFailoverMillis ? .passed(tookMillis: took) : .slow(tookMillis: took)
        }
        let elapsed = nowMillis - stopSentAtMillis
        if elapsed > expectedWorstCaseFailoverMillis + Self.graceMillis(expected: expectedWorstCaseFailoverMillis) {
            return .failed("no new master \(DurationFormat.short(elapsed)) after the stop (expected within ~\(DurationFormat.short(expectedWorstCaseFailoverMillis)))")
        }
        return .inProgress(elapsedMillis: elapsed)
    }

    /// Whether a phase was seen (a stop that could not be sent was not).
    public func wasSeen(_ phase: DrillPhase) -> Bool {
        phases[phase] != nil && !(phase == .stopSent && stopError != nil)
    }

    /// The phases in the order a timeline lists them: those seen by time (ties in protocol
    /// order); one skipped (a later one was seen) right after the seen phase before it; the
    /// rest, still to come or never seen, last.
    public var listedPhases: [DrillPhase] {
        let all = DrillPhase.allCases
        let at = phases
        var order = all.filter(wasSeen).sorted { a, b in
            (at[a] ?? 0, all.firstIndex(of: a) ?? 0) < (at[b] ?? 0, all.firstIndex(of: b) ?? 0)
        }
        for (index, phase) in all.enumerated() where !wasSeen(phase) {
            if let before = all[..<index].last(where: wasSeen), all[(index + 1)...].contains(where: wasSeen),
               let position = order.firstIndex(of: before) {
                order.insert(phase, at: position + 1)
            } else {
                order.append(phase)
            }
        }
        return order
    }

    /// Why a phase has no time: not sent, skipped between two lock reads, still waiting, or not seen.
    public func unseenReason(_ phase: DrillPhase, nowMillis: Int64) -> String {
        switch phase {
        case .stopSent: "not sent: " + (stopError ?? "")
        case .lockReleased where phases[.lockAcquired] != nil: "not seen free (taken between two lock reads)"
        default: verdict(nowMillis: nowMillis).isFinal ? "not seen" : "waiting"
        }
    }

    /// Milliseconds from the stop to the phase, when seen.
    public func offset(of phase: DrillPhase) -> Int64? { phases[phase].map { $0 - stopSentAtMillis } }

    /// The time clients had no serving master: from the old master gone to the new one
    /// serving, computed by `TakeoverTiming` as the failover history computes it.
    public var timeWithoutMasterMillis: Int64? {
        TakeoverTiming.timeWithoutMaster(outageStartMillis: outageStart, newMasterServingMillis: servingSeen.map { max($0.atMillis, stopSentAtMillis) })
    }

    // MARK: - Dating the phases

    private var freeStamp: PhaseStamp? { freeSeen.map { PhaseStamp(atMillis: $0, signal: .lockFile) } }
    private var acquiredStamp: PhaseStamp? { acquiredSeen.map { PhaseStamp(atMillis: max($0, stopSentAtMillis), signal: .lockFile) } }

    /// When clients lost their master, by the history's rule, never before the stop.
    private var outageStart: Int64? {
        TakeoverTiming.outageStart(
            gone: goneSeen?.stamp, lastServing: oldLastServing, lockFree: freeStamp, lockAcquired: acquiredStamp,
            notBeforeMillis: stopSentAtMillis)
    }

    /// Every phase seen, each no later than the next one seen.
    private func ordered() -> [DrillPhase: (at: Int64, signal: String)] {
        var result: [DrillPhase: (at: Int64, signal: String)] = [.stopSent: (stopSentAtMillis, "amqtop")]
        let serving = servingSeen.map { max($0.atMillis, stopSentAtMillis) }
        if let serving, let signal = servingSeen?.phrase { result[.newMasterServing] = (serving, signal) }
        // The acquisition timestamp comes from the broker's clock: never after its own serving.
        let acquired = acquiredStamp.map { min($0.atMillis, serving ?? .max) }
        if let acquired { result[.lockAcquired] = (acquired, "lock file timestamp") }
        let released = freeSeen.map { min($0, acquired ?? serving ?? .max) }
        if let released { result[.lockReleased] = (released, "lock file: no holder") }
        // Its last serving sighting alone does not show it gone: only once something else moved,
        // and not while it still serves (a lock taken behind a serving master is no takeover yet).
        let moved = goneSeen != nil || freeSeen != nil || (acquiredSeen != nil && !oldStillServes) || servingSeen != nil
        if moved, let start = outageStart {
            let signal: String
            if let goneSeen, start == goneSeen.atMillis {
                signal = goneSeen.phrase
            } else if start == freeSeen {
                signal = "lock seen free"
            } else if start == acquiredStamp?.atMillis {
                signal = "lock taken over"
            } else {
                signal = "last seen serving"
            }
            // Two masters at once would be split brain: with a new master serving first, the
            // old one is dated gone no later than that (the time without master is 0 either way).
            result[.oldMasterGone] = (min(start, serving ?? .max), signal)
        } else if let serving {
            result[.oldMasterGone] = (serving, "another master serves")
        }
        return result
    }
}
