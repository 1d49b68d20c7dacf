/// A failover drill as it unfolds: the stop, then each phase as the probes see it.
///
/// Pure: it is fed the group's observations and verdicts with the time, and only records
/// the first time each phase is seen. The lock phase uses the timestamp the new master
/// wrote into the lock file, which is exact even when amqtop polls slowly.
public struct DrillTimeline: Equatable, Sendable {
    public var group: String
    public var oldMaster: String
    /// The old master's lock tenure start, to tell a new acquisition from the old one.
    public var oldAcquiredAtMillis: Int64?
    public var stopSentAtMillis: Int64
    public var expectedWorstCaseFailoverMillis: Int64
    /// When each phase was first seen (epoch ms); `lockAcquired` is the lock file's own timestamp.
    ///
    /// No other phase is dated before the stop: the `nowMillis` fallback is the caller's
    /// clock, and the dashboard's ticks a few times a second, so the first look after a
    /// stop that took a while to return could otherwise date "old master gone" before the
    /// stop and make the time without a master longer than the whole takeover.
    public private(set) var phases: [DrillPhase: Int64]
    /// Which signal showed each phase, e.g. "lock file", "Jolokia Slave=false", "OpenWire".
    public private(set) var signals: [DrillPhase: String]
    /// The broker that took the lock (when its pid maps to a configured broker).
    public private(set) var lockTakenBy: String?
    public private(set) var newMaster: String?
    /// Set when the stop could not be sent.
    public private(set) var stopError: String?

    /// Extra time past the expected worst case before "in progress" turns into "failed".
    public static func graceMillis(expected: Int64) -> Int64 { max(3000, expected / 2) }

    public init(group: String, oldMaster: String, oldAcquiredAtMillis: Int64?, stopSentAtMillis: Int64, expectedWorstCaseFailoverMillis: Int64) {
        self.group = group
        self.oldMaster = oldMaster
        self.oldAcquiredAtMillis = oldAcquiredAtMillis
        self.stopSentAtMillis = stopSentAtMillis
        self.expectedWorstCaseFailoverMillis = expectedWorstCaseFailoverMillis
        self.phases = [.stopSent: stopSentAtMillis]
        self.signals = [.stopSent: "amqtop"]
    }

    /// Records that the stop could not be sent: the drill ends as failed.
    public mutating func stopFailed(_ reason: String) { stopError = reason }

    /// Feeds one look at the group; phases seen for the first time are recorded.
    ///
    /// Each phase is timed by the observation that showed it (when the probe answered),
    /// not by when the screen got round to it; `nowMillis` is the fallback.
    public mutating func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) {
        guard stopError == nil, phases[.newMasterServing] == nil else { return }
        if phases[.oldMasterGone] == nil, let old = assessment.broker(named: oldMaster), old.role != .master {
            record(.oldMasterGone, at: Self.seenAt(observation.broker(named: oldMaster)) ?? nowMillis, signal: old.evidence.first ?? old.role.rawValue)
        }
        if let lock = observation.lock {
            if phases[.lockReleased] == nil, phases[.lockAcquired] == nil, lock.holder == .free {
                record(.lockReleased, at: lock.atMillis, signal: "lock file: no holder")
            }
            if phases[.lockAcquired] == nil, let acquired = lock.acquiredAtMillis, acquired != oldAcquiredAtMillis, acquired >= stopSentAtMillis - 1000 {
                record(.lockAcquired, at: acquired, signal: "lock file timestamp")
                lockTakenBy = assessment.lockHolderBroker
                // The old master cannot still hold a lock somebody else acquired: it was gone by then,
                // even if its endpoint was only seen refusing a poll later.
                if let gone = phases[.oldMasterGone], gone > acquired {
                    phases[.oldMasterGone] = max(acquired, stopSentAtMillis)
                    signals[.oldMasterGone] = "lock taken over"
                } else if phases[.oldMasterGone] == nil {
                    record(.oldMasterGone, at: min(nowMillis, acquired), signal: "lock taken over")
                }
            }
        }
        if let master = assessment.master, master != oldMaster, Self.isServing(observation.broker(named: master)) {
            let evidence = assessment.broker(named: master)?.evidence.first ?? "master"
            record(.newMasterServing, at: Self.seenAt(observation.broker(named: master)) ?? nowMillis, signal: evidence)
            newMaster = master
            if phases[.oldMasterGone] == nil { record(.oldMasterGone, at: nowMillis, signal: "another master serves") }
        }
    }

    /// Where the drill stands as of `nowMillis`.
    public func verdict(nowMillis: Int64) -> DrillVerdict {
        if let stopError { return .failed("stop not sent: \(stopError)") }
        if let served = phases[.newMasterServing] {
            let took = served - stopSentAtMillis
            return took <= expectedWorstCaseFailoverMillis ? .passed(tookMillis: took) : .slow(tookMillis: took)
        }
        let elapsed = nowMillis - stopSentAtMillis
        if elapsed > expectedWorstCaseFailoverMillis + Self.graceMillis(expected: expectedWorstCaseFailoverMillis) {
            return .failed("no new master \(DurationFormat.short(elapsed)) after the stop (expected within ~\(DurationFormat.short(expectedWorstCaseFailoverMillis)))")
        }
        return .inProgress(elapsedMillis: elapsed)
    }

    /// Milliseconds from the stop to the phase, when seen.
    public func offset(of phase: DrillPhase) -> Int64? { phases[phase].map { $0 - stopSentAtMillis } }

    /// The time clients had no serving master: from the old master gone to the new one serving.
    public var timeWithoutMasterMillis: Int64? {
        guard let gone = phases[.oldMasterGone], let served = phases[.newMasterServing] else { return nil }
        return max(0, served - gone)
    }

    /// True when the broker serves clients: it says Slave=false or its OpenWire port is open.
    ///
    /// Holding the lock is not serving: a new master sleeps one keep-alive period first.
    /// Brokers probed by pid alone have no better signal, so their master role counts.
    static func isServing(_ broker: BrokerObservation?) -> Bool {
        guard let broker else { return false }
        if broker.jolokia == nil, broker.openwire == nil { return true }
        return broker.jolokia?.slave == false || broker.openwire?.state.isOpen == true
    }

    /// The newest time any probe of this broker answered.
    static func seenAt(_ broker: BrokerObservation?) -> Int64? {
        [broker?.jolokia?.atMillis, broker?.openwire?.atMillis, broker?.process?.atMillis].compactMap { $0 }.max()
    }

    private mutating func record(_ phase: DrillPhase, at millis: Int64, signal: String) {
        guard phases[phase] == nil else { return }
        phases[phase] = phase == .lockAcquired ? millis : max(millis, stopSentAtMillis)
        signals[phase] = signal
    }
}
