/// One change of master in a group, with its phases as they were observed.
///
/// Phases that were not seen stay nil: a slave that took a free lock between two polls
/// leaves no "lock free" phase, and a group whose lock file is not visible has no
/// acquisition phase. The durations are derived from whichever phases are known.
public struct FailoverEvent: Equatable, Sendable {
    /// The group the takeover happened in.
    public var group: String
    /// What identifies this takeover across processes: `lock:<acquisition ms>` when the lock
    /// file is visible (two dashboards sharing a history file then record it once), else
    /// `seen:<new master>:<first serving ms>` (only this process can know it).
    public var key: String
    /// The master before the takeover, when it was known.
    public var fromBroker: String?
    /// The new master, once known (the lock holder's pid or the first broker seen serving).
    public var toBroker: String?
    public var cause: FailoverCause
    /// The cause in a sentence, when a broker's log told it (e.g. "b2 gave up the lock: its
    /// keep-alive saw the lock file change"); printable text only.
    public var causeDetail: String?
    /// Who recorded it: a running amqtop, an imported log, or both.
    public var source: HistorySource
    /// When amqtop sent the stop that started this takeover (cause `stop` only).
    public var stopSentAtMillis: Int64?
    /// When the detector first recorded the takeover.
    public var detectedAtMillis: Int64
    /// The old master's last observation as serving (its `Slave=false` or open OpenWire port).
    public var oldMasterLastServing: PhaseStamp?
    /// The first observation of the old master no longer serving.
    public var oldMasterGone: PhaseStamp?
    /// The first observation of the lock file with nobody holding it, if it was ever seen free.
    public var lockFree: PhaseStamp?
    /// The acquisition timestamp the new master wrote in the lock file.
    public var lockAcquired: PhaseStamp?
    /// The first observation of the new master serving; nil while the takeover is in progress.
    public var newMasterServing: PhaseStamp?

    public init(
        group: String, key: String, fromBroker: String?, toBroker: String?, cause: FailoverCause,
        stopSentAtMillis: Int64? = nil, detectedAtMillis: Int64, oldMasterLastServing: PhaseStamp? = nil,
        oldMasterGone: PhaseStamp? = nil, lockFree: PhaseStamp? = nil, lockAcquired: PhaseStamp? = nil,
        newMasterServing: PhaseStamp? = nil, causeDetail: String? = nil, source: HistorySource = .live
    ) {
        self.causeDetail = causeDetail
        self.source = source
        self.group = group
        self.key = key
        self.fromBroker = fromBroker
        self.toBroker = toBroker
        self.cause = cause
        self.stopSentAtMillis = stopSentAtMillis
        self.detectedAtMillis = detectedAtMillis
        self.oldMasterLastServing = oldMasterLastServing
        self.oldMasterGone = oldMasterGone
        self.lockFree = lockFree
        self.lockAcquired = lockAcquired
        self.newMasterServing = newMasterServing
    }

    /// The key of the takeover that wrote `acquiredAtMillis` into the lock file.
    public static func lockKey(_ acquiredAtMillis: Int64) -> String { "lock:\(acquiredAtMillis)" }

    /// The key of a takeover seen only through the brokers' own signals.
    public static func seenKey(newMaster: String, servingAtMillis: Int64) -> String { "seen:\(newMaster):\(servingAtMillis)" }

    /// The lock file's acquisition timestamp, when the lock was visible.
    public var lockAcquiredAtMillis: Int64? { lockAcquired?.atMillis }

    /// True once the new master has been seen serving.
    public var isComplete: Bool { newMasterServing != nil }

    /// The instant that names the event in lists: the acquisition, else the first sign of it.
    public var atMillis: Int64 {
        lockAcquired?.atMillis ?? oldMasterGone?.atMillis ?? newMasterServing?.atMillis ?? detectedAtMillis
    }

    /// When clients lost their master, as observed: the first observation of the old master
    /// gone (brought forward to the lock seen free or taken when that came first), else its
    /// last observation serving, else the lock seen free, else the acquisition; never before
    /// the stop amqtop sent. `TakeoverTiming` holds the rule; the drill uses it too.
    ///
    /// Between "last seen serving" and "first seen gone" lies one poll interval during which
    /// the master died unseen; the first observation of it gone is what was actually seen.
    public var outageStartMillis: Int64? {
        TakeoverTiming.outageStart(
            gone: oldMasterGone, lastServing: oldMasterLastServing, lockFree: lockFree, lockAcquired: lockAcquired,
            notBeforeMillis: stopSentAtMillis)
    }

    /// How long the group had no serving master: from `outageStartMillis` to the new master serving.
    public var timeWithoutMasterMillis: Int64? {
        TakeoverTiming.timeWithoutMaster(outageStartMillis: outageStartMillis, newMasterServingMillis: newMasterServing?.atMillis)
    }

    /// How long the new master took from acquiring the lock to serving (its keep-alive sleep and start).
    public var takeoverMillis: Int64? {
        guard let end = newMasterServing?.atMillis, let start = lockAcquired?.atMillis else { return nil }
        return max(0, end - start)
    }

    /// How long the lock waited for a slave: from the old master gone to the acquisition.
    public var lockWaitMillis: Int64? {
        guard let acquired = lockAcquired?.atMillis, let gone = oldMasterGone?.atMillis ?? lockFree?.atMillis else { return nil }
        return max(0, acquired - gone)
    }
}
