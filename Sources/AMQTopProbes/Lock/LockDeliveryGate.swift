import AMQTopCore
import NIOConcurrencyHelpers

/// Decides which lock reads the `Poller` hands on: every change at once, an unchanged read
/// only when something downstream needs its read time.
///
/// A hundred lock files read every 250 ms are 400 snapshots a second, nearly all equal to the
/// one before but for their read time (`atMillis`). Each cost the dashboard a reassessment of
/// its group and the history a pass through its failover detector: several times what the
/// read itself costs. The read time of an unchanged read matters in one place: the history
/// credits a master's serving signal to the current tenure only once a lock read taken at or
/// after that signal still shows the same timestamp (`FailoverDetector.followMaster`). So an
/// unchanged read goes out when a broker result of its group came in at or after the last
/// delivered read was taken (the first read after a broker round confirms it, as before), and
/// at least every `refreshMillis` whatever the brokers do. Every read is still made (the file
/// is opened and read every lockPoll, a timeout or a new holder shows in that very round);
/// the unchanged ones in between are only not handed on.
final class LockDeliveryGate: Sendable {
    private struct Group {
        /// The last snapshot handed on.
        var delivered: LockFileSnapshot?
        /// When the latest broker result of the group came in (the poller's clock).
        var brokerNewsMillis: Int64 = .min
    }

    private let groups = NIOLockedValueBox<[String: Group]>([:])
    /// The longest an unchanged lock goes without a delivered read.
    let refreshMillis: Int64

    init(refreshMillis: Int64) {
        self.refreshMillis = refreshMillis
    }

    /// Notes that a broker result of `group` came in at `atMillis`.
    func brokerNews(group: String, atMillis: Int64) {
        groups.withLockedValue { $0[group, default: Group()].brokerNewsMillis = atMillis }
    }

    /// True when `snapshot` must be handed on (and it is then remembered as the last one handed on).
    func shouldDeliver(group: String, _ snapshot: LockFileSnapshot) -> Bool {
        groups.withLockedValue { groups in
            var entry = groups[group] ?? Group()
            if let last = entry.delivered, Self.isUnchanged(snapshot, since: last),
                // A broker result since the last read handed on: this read may be the one that confirms it.
                entry.brokerNewsMillis < last.atMillis,
                // A wall clock stepped back (NTP) is no reason to go quiet: then deliver.
                snapshot.atMillis >= last.atMillis, snapshot.atMillis - last.atMillis < refreshMillis
            {
                return false
            }
            entry.delivered = snapshot
            groups[group] = entry
            return true
        }
    }

    /// True when `snapshot` says exactly what `last` said, but for its read time.
    static func isUnchanged(_ snapshot: LockFileSnapshot, since last: LockFileSnapshot) -> Bool {
        var same = snapshot
        same.atMillis = last.atMillis
        return same == last
    }
}
