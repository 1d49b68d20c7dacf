/// Turns a group's successive observations into failover events, tenures and split-brain episodes.
///
/// Pure and deterministic: each call takes one observation of the group, its assessment and
/// the time, and returns the records that are new or changed, so a store can commit them at
/// once and a test can replay a table of observations.
///
/// The rules, in the order they matter:
/// - A new acquisition timestamp in the lock file is a takeover; nothing else is when the
///   lock is visible. A master that misses a poll and answers again under the same
///   timestamp only flapped.
/// - The first timestamp seen is the current tenure, however old: amqtop was not there to
///   see it begin, so it is not a failover.
/// - Without a visible lock file, a different broker serving alone after the master went
///   away is the takeover (the brokers' own `Slave` answers and OpenWire ports).
/// - Two brokers serving at once is a split-brain episode, never a failover; a lock taken
///   while its old master still serves waits to see which of the two it turns out to be.
public struct FailoverDetector: Sendable {
    /// The group this detector follows.
    public let group: String
    /// How long before the old master went away a stop from amqtop still explains it.
    public var stopAttributionMillis: Int64
    /// The current tenure, once one is known.
    public private(set) var tenure: Tenure?
    /// The current master, as established by the last takeover or first sighting.
    public private(set) var master: String?
    /// The takeover whose new master has not yet been seen serving.
    public private(set) var openEvent: FailoverEvent?
    /// The split-brain episode under way.
    public private(set) var splitBrain: SplitBrainEpisode?

    private var started = false
    /// When the first observation arrived: an acquisition before it was not seen happening.
    private var firstObservedAt: Int64?
    private var lockTimestamp: Int64?
    /// The inode `lockTimestamp` was read from: a new timestamp in a new file that nobody
    /// locked is a replaced file, not a takeover.
    private var lockInode: UInt64?
    private var lastServing: PhaseStamp?
    private var gone: PhaseStamp?
    private var goneMeansDown = false
    private var lockFree: PhaseStamp?
    /// A lock acquisition seen while the old master still served: failover or split brain, not yet known.
    private var contestedAcquisition: Int64?
    private var stops: [String: Int64] = [:]

    /// The default window for `stopAttributionMillis`: long enough for a graceful stop.
    public static let defaultStopAttributionMillis: Int64 = 5 * 60_000

    public init(group: String, stopAttributionMillis: Int64 = FailoverDetector.defaultStopAttributionMillis) {
        self.group = group
        self.stopAttributionMillis = stopAttributionMillis
    }

    /// Tells the detector that amqtop sent `broker` a stop at `atMillis`.
    ///
    /// The next takeover from that broker is then caused by `stop` instead of `crash`.
    public mutating func noteStop(broker: String, atMillis: Int64) {
        stops[broker] = atMillis
    }

    /// Takes one observation of the group and returns the records it creates or changes.
    public mutating func observe(
        _ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64
    ) -> [HistoryUpdate] {
        var updates: [HistoryUpdate] = []
        let lock = observation.lock
        let timestamp = lock?.state == .ok ? lock?.acquiredAtMillis : nil
        let cutoff = timestamp ?? lockTimestamp
        var readings: [String: BrokerEvidence] = [:]
        for broker in observation.brokers {
            readings[broker.name] = BrokerEvidence(name: broker.name, observation: broker, lock: lock, staleBeforeMillis: cutoff)
        }
        let serving = observation.brokers.map(\.name).filter { readings[$0]?.serves == true }
        let holder = assessment.lockHolderBroker

        guard started else {
            started = true
            firstObservedAt = nowMillis
            firstSighting(timestamp: timestamp, serving: serving, readings: readings, holder: holder, now: nowMillis, into: &updates)
            if timestamp != nil { lockInode = lock?.inode }
            trackSplitBrain(serving: serving, readings: readings, timestamp: timestamp, now: nowMillis, into: &updates)
            return updates
        }

        if let timestamp {
            if lockTimestamp == nil {
                lockFirstSeen(timestamp, holder: holder, now: nowMillis, into: &updates)
            } else if timestamp != lockTimestamp {
                if isReplacedFile(lock, holder: holder) {
                    // Same master, same lock: only the file at the path changed.
                    lockTimestamp = timestamp
                } else {
                    lockChanged(timestamp, serving: serving, readings: readings, holder: holder, now: nowMillis, into: &updates)
                }
            }
        }
        if timestamp != nil { lockInode = lock?.inode }
        resolveContested(serving: serving, readings: readings, now: nowMillis, into: &updates)
        refineOpenEventCause(readings: readings, into: &updates)
        completeOpenEvent(serving: serving, readings: readings, into: &updates)
        let confirmedAt = timestamp != nil ? lock?.atMillis : nil
        followMaster(serving: serving, readings: readings, lockConfirmedAt: confirmedAt, now: nowMillis, into: &updates)
        trackSplitBrain(serving: serving, readings: readings, timestamp: timestamp ?? lockTimestamp, now: nowMillis, into: &updates)
        // The lock seen free while the master is away is a phase of the coming takeover
        // (checked last, so the poll that first sees the master gone counts too).
        if let lock, lock.holder == .free, lockFree == nil, openEvent == nil, gone != nil || master == nil {
            lockFree = PhaseStamp(atMillis: lock.atMillis, signal: .lockFile)
        }
        return updates
    }

    // MARK: - Steps

    /// The first observation: whatever holds the lock now started before amqtop watched.
    private mutating func firstSighting(
        timestamp: Int64?, serving: [String], readings: [String: BrokerEvidence], holder: String?, now: Int64,
        into updates: inout [HistoryUpdate]
    ) {
        let single = serving.count == 1 ? serving[0] : nil
        if let single {
            master = single
            lastServing = readings[single]?.lastServing?.stamp
        }
        if let timestamp {
            lockTimestamp = timestamp
            startTenure(
                Tenure(group: group, key: FailoverEvent.lockKey(timestamp), master: single ?? holder, acquiredAtMillis: timestamp,
                       firstSeenAtMillis: now, startedBeforeObservation: true),
                into: &updates)
        } else if let single {
            startTenure(
                Tenure(group: group, key: Self.seenTenureKey(single, now), master: single, acquiredAtMillis: nil,
                       firstSeenAtMillis: now, startedBeforeObservation: true),
                into: &updates)
        }
    }

    /// A new timestamp in a new file (another inode) that nobody locked, or that the current
    /// master's broker holds while it was not seen going: the file at the path was
    /// replaced (a `rename` over it every 100 ms left 33 phantom takeovers "in progress").
    ///
    /// A real new master holds the lock on the file it wrote its timestamp into, and ActiveMQ
    /// never replaces the file: its `tryLock` is on the file it opened.
    private func isReplacedFile(_ lock: LockFileSnapshot?, holder: String?) -> Bool {
        guard let lock, let previous = lockInode, let inode = lock.inode, inode != previous,
              openEvent == nil, contestedAcquisition == nil
        else { return false }
        // Nobody holds the new file: nobody took it over (a master holds the lock on the
        // file it writes its timestamp into, for as long as it is master).
        if lock.holder == .free { return true }
        guard let master, gone == nil else { return false }
        return holder == master
    }

    /// A lock file that was unreadable, missing or empty now shows a timestamp.
    ///
    /// Nobody saw it written, so it is the current tenure, not a takeover.
    private mutating func lockFirstSeen(_ timestamp: Int64, holder: String?, now: Int64, into updates: inout [HistoryUpdate]) {
        lockTimestamp = timestamp
        if var previous = tenure, previous.acquiredAtMillis == nil {
            previous.endedAtMillis = now
            updates.append(.tenure(previous))
        }
        startTenure(
            Tenure(group: group, key: FailoverEvent.lockKey(timestamp), master: master ?? holder, acquiredAtMillis: timestamp,
                   firstSeenAtMillis: now, startedBeforeObservation: timestamp < (firstObservedAt ?? now)),
            into: &updates)
    }

    /// A new acquisition timestamp: a takeover, unless the old master still serves.
    private mutating func lockChanged(
        _ timestamp: Int64, serving: [String], readings: [String: BrokerEvidence], holder: String?, now: Int64,
        into updates: inout [HistoryUpdate]
    ) {
        lockTimestamp = timestamp
        endTenure(at: timestamp, into: &updates)
        startTenure(
            Tenure(group: group, key: FailoverEvent.lockKey(timestamp), master: holder, acquiredAtMillis: timestamp,
                   firstSeenAtMillis: now, startedBeforeObservation: false),
            into: &updates)
        if let open = openEvent {
            // A second acquisition before the first new master served: the takeover goes on
            // from the broker that took the lock but never served.
            master = open.toBroker
            openEvent = nil
        }
        contestedAcquisition = nil
        if splitBrain != nil {
            // Part of the episode already recorded; which master survives is decided when it ends.
            return
        }
        if let old = master, serving.contains(old), holder != old {
            contestedAcquisition = timestamp
            lastServing = readings[old]?.lastServing?.stamp ?? lastServing
            return
        }
        openTakeover(acquiredAt: timestamp, readings: readings, holder: holder, now: now, into: &updates)
    }

    /// Records the takeover that wrote `acquiredAt`, from the current master.
    private mutating func openTakeover(
        acquiredAt: Int64, readings: [String: BrokerEvidence], holder: String?, now: Int64, into updates: inout [HistoryUpdate]
    ) {
        let old = master
        var goneStamp = gone
        var down = goneMeansDown
        if goneStamp == nil, let old, let reading = readings[old], let against = reading.notServing?.stamp {
            goneStamp = against
            down = reading.notServingMeansDown
        }
        let acquired = PhaseStamp(atMillis: acquiredAt, signal: .lockFile)
        let lastSeenServing = old == nil ? nil : lastServing
        // Dated by the one rule the drill uses too: the lock seen free or taken is the earlier proof.
        let goneAt = TakeoverTiming.oldMasterGone(seen: goneStamp, lastServing: lastSeenServing, lockFree: lockFree, lockAcquired: acquired)
        let (cause, stopAt) = cause(from: old, goneAt: goneAt?.atMillis ?? acquiredAt, down: down)
        let event = FailoverEvent(
            group: group, key: FailoverEvent.lockKey(acquiredAt), fromBroker: old, toBroker: holder, cause: cause,
            stopSentAtMillis: stopAt, detectedAtMillis: now, oldMasterLastServing: lastSeenServing,
            oldMasterGone: goneAt, lockFree: lockFree, lockAcquired: acquired)
        openEvent = event
        updates.append(.failover(event))
        master = nil
        lastServing = nil
        gone = nil
        goneMeansDown = false
        lockFree = nil
    }

    /// A lock taken behind a serving master: once the old master stops serving alone, it was a takeover.
    private mutating func resolveContested(
        serving: [String], readings: [String: BrokerEvidence], now: Int64, into updates: inout [HistoryUpdate]
    ) {
        guard let acquiredAt = contestedAcquisition, splitBrain == nil, serving.count < 2 else { return }
        if let old = master, serving.contains(old) { return }
        contestedAcquisition = nil
        gone = nil
        openTakeover(acquiredAt: acquiredAt, readings: readings, holder: tenure?.master, now: now, into: &updates)
    }

    /// An open takeover learns when its old master went, and one opened as `unknown` becomes
    /// a crash once its old master is seen down.
    ///
    /// The lock is polled faster than the brokers, so the new timestamp is often seen before
    /// the old master's dead process or refused port (ActionsAndHistoryTests: a kill -9 of a
    /// real ActiveMQ master was recorded as `unknown` 3 times in 4). While the takeover is
    /// still open (the new master sleeps a keep-alive period before it serves) such a sighting
    /// still explains it, and dates "old master gone" by the rule the drill uses. Only
    /// `unknown` is upgraded: a noted stop stays a stop.
    private mutating func refineOpenEventCause(readings: [String: BrokerEvidence], into updates: inout [HistoryUpdate]) {
        guard var event = openEvent, let old = event.fromBroker, let reading = readings[old],
              let against = reading.notServing?.stamp
        else { return }
        let before = event
        if event.oldMasterGone == nil {
            event.oldMasterGone = TakeoverTiming.oldMasterGone(
                seen: against, lastServing: event.oldMasterLastServing, lockFree: event.lockFree, lockAcquired: event.lockAcquired)
        }
        if event.cause == .unknown, reading.notServingMeansDown { event.cause = .crash }
        guard event != before else { return }
        openEvent = event
        updates.append(.failover(event))
    }

    /// The open takeover ends when exactly one broker serves after the acquisition.
    private mutating func completeOpenEvent(
        serving: [String], readings: [String: BrokerEvidence], into updates: inout [HistoryUpdate]
    ) {
        guard var event = openEvent, serving.count == 1, let stamp = readings[serving[0]]?.lastServing?.stamp else { return }
        let newMaster = serving[0]
        event.toBroker = newMaster
        event.newMasterServing = stamp
        openEvent = nil
        updates.append(.failover(event))
        adopt(master: newMaster, stamp: stamp, into: &updates)
    }

    /// Follows the current master between takeovers: flaps, first sightings, and takeovers
    /// seen only through the brokers when no lock file is visible.
    ///
    /// - Parameter lockConfirmedAt: when the lock file was read showing the current timestamp
    ///   (nil when it was not readable). With a visible lock, a serving signal counts for the
    ///   current tenure only once a later read still shows the same timestamp: otherwise a
    ///   lock read that lags a broker poll would credit a new master to the old tenure.
    private mutating func followMaster(
        serving: [String], readings: [String: BrokerEvidence], lockConfirmedAt: Int64?, now: Int64,
        into updates: inout [HistoryUpdate]
    ) {
        guard openEvent == nil, contestedAcquisition == nil, splitBrain == nil else { return }
        func confirmed(_ stamp: PhaseStamp) -> Bool {
            guard lockTimestamp != nil else { return true }
            guard let readAt = lockConfirmedAt else { return false }
            return readAt >= stamp.atMillis
        }
        if let current = master {
            if serving.contains(current), let stamp = readings[current]?.lastServing?.stamp {
                guard confirmed(stamp) else { return }
                // Serving again under the same lock timestamp: whatever was missed was a flap.
                lastServing = stamp
                gone = nil
                goneMeansDown = false
                lockFree = nil
                return
            }
            if gone == nil, let reading = readings[current], let against = reading.notServing?.stamp {
                gone = against
                goneMeansDown = reading.notServingMeansDown
            }
        }
        guard serving.count == 1, let stamp = readings[serving[0]]?.lastServing?.stamp, confirmed(stamp) else { return }
        let newMaster = serving[0]
        if let old = master, lockTimestamp == nil {
            // No lock file to say so: another broker serving alone is the takeover.
            let goneStamp = gone ?? readings[old]?.notServing?.stamp
            let down = gone != nil ? goneMeansDown : (readings[old]?.notServingMeansDown ?? false)
            let (cause, stopAt) = cause(from: old, goneAt: goneStamp?.atMillis ?? stamp.atMillis, down: down)
            let event = FailoverEvent(
                group: group, key: FailoverEvent.seenKey(newMaster: newMaster, servingAtMillis: stamp.atMillis),
                fromBroker: old, toBroker: newMaster, cause: cause, stopSentAtMillis: stopAt, detectedAtMillis: now,
                oldMasterLastServing: lastServing,
                oldMasterGone: TakeoverTiming.oldMasterGone(seen: goneStamp, lastServing: lastServing, lockFree: lockFree, lockAcquired: nil),
                lockFree: lockFree, lockAcquired: nil,
                newMasterServing: stamp)
            updates.append(.failover(event))
            endTenure(at: goneStamp?.atMillis ?? stamp.atMillis, into: &updates)
            startTenure(
                Tenure(group: group, key: Self.seenTenureKey(newMaster, stamp.atMillis), master: newMaster,
                       acquiredAtMillis: nil, firstSeenAtMillis: now, startedBeforeObservation: false),
                into: &updates)
        } else if master == nil && lockTimestamp == nil && tenure == nil {
            // Serving since before anyone here could tell: a tenure, not a takeover.
            startTenure(
                Tenure(group: group, key: Self.seenTenureKey(newMaster, stamp.atMillis), master: newMaster,
                       acquiredAtMillis: nil, firstSeenAtMillis: now, startedBeforeObservation: false),
                into: &updates)
        }
        // With a visible lock and an unchanged timestamp, a different broker serving is not a
        // takeover (the lock says nobody took over); the alerts tell what is wrong.
        adopt(master: newMaster, stamp: stamp, into: &updates)
    }

    /// Opens, widens or closes the split-brain episode.
    private mutating func trackSplitBrain(
        serving: [String], readings: [String: BrokerEvidence], timestamp: Int64?, now: Int64,
        into updates: inout [HistoryUpdate]
    ) {
        if serving.count >= 2 {
            if var episode = splitBrain {
                let widened = episode.brokers + serving.filter { !episode.brokers.contains($0) }
                if widened != episode.brokers {
                    episode.brokers = widened
                    splitBrain = episode
                    updates.append(.splitBrain(episode))
                }
            } else {
                // The episode began when the second master was seen serving.
                let startedAt = serving.compactMap { readings[$0]?.lastServing?.atMillis }.max() ?? now
                let key = timestamp.map { "lock:\($0):\(serving[0])" } ?? "seen:\(startedAt)"
                let episode = SplitBrainEpisode(
                    group: group, key: key, brokers: serving, startedAtMillis: startedAt, lockAcquiredAtMillis: timestamp)
                splitBrain = episode
                updates.append(.splitBrain(episode))
            }
            return
        }
        guard var episode = splitBrain else { return }
        episode.endedAtMillis = now
        splitBrain = nil
        updates.append(.splitBrain(episode))
        // Whoever still serves is the master now; the lock acquisition, if any, was part of
        // the episode and is not counted as a takeover.
        contestedAcquisition = nil
        if serving.count == 1, let stamp = readings[serving[0]]?.lastServing?.stamp, openEvent == nil {
            adopt(master: serving[0], stamp: stamp, into: &updates)
        }
    }

    // MARK: - Helpers

    /// Makes `newMaster` the current master, naming it in the tenure if that had no name yet.
    private mutating func adopt(master newMaster: String, stamp: PhaseStamp, into updates: inout [HistoryUpdate]) {
        master = newMaster
        lastServing = stamp
        gone = nil
        goneMeansDown = false
        lockFree = nil
        if var current = tenure, current.master != newMaster, current.acquiredAtMillis != nil || current.master == nil {
            current.master = newMaster
            tenure = current
            updates.append(.tenure(current))
        }
    }

    private mutating func startTenure(_ new: Tenure, into updates: inout [HistoryUpdate]) {
        tenure = new
        updates.append(.tenure(new))
    }

    private mutating func endTenure(at millis: Int64, into updates: inout [HistoryUpdate]) {
        guard var current = tenure else { return }
        current.endedAtMillis = millis
        tenure = nil
        updates.append(.tenure(current))
    }

    /// Why `old` went away: a stop amqtop sent it shortly before, else a crash when it was
    /// seen down (dead process, closed port, silent endpoint), else unknown.
    private mutating func cause(from old: String?, goneAt: Int64, down: Bool) -> (FailoverCause, Int64?) {
        guard let old else { return (.unknown, nil) }
        if let stopAt = stops[old], stopAt <= goneAt, goneAt - stopAt <= stopAttributionMillis {
            stops[old] = nil
            return (.stop, stopAt)
        }
        stops[old] = nil
        return (down ? .crash : .unknown, nil)
    }

    private static func seenTenureKey(_ master: String, _ millis: Int64) -> String { "seen:\(master):\(millis)" }
}
