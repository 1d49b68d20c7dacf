/// The one rule that dates a takeover's phases and its time without a master, shared by
/// the drill timeline and the failover history so both give the same figures.
///
/// Why the lock bounds the old master: ActiveMQ stops its transport connectors before it
/// releases the lock, and nobody acquires a lock that its master still holds. So when the
/// lock was seen free, or the new master's acquisition timestamp is earlier, than the first
/// probe that saw the old master gone, the lock is the earlier proof and dates "gone".
/// Never earlier than the old master's last serving sighting, though: a lock taken behind
/// a master that kept serving (NFSv4 without keep-alive) did not end its service.
public enum TakeoverTiming {
    /// When the old master was gone: its first sighting gone, brought forward to the lock
    /// seen free or taken when that came first. Nil when it was never seen gone.
    public static func oldMasterGone(
        seen: PhaseStamp?, lastServing: PhaseStamp?, lockFree: PhaseStamp?, lockAcquired: PhaseStamp?
    ) -> PhaseStamp? {
        guard let seen else { return nil }
        let floor = lastServing?.atMillis ?? Int64.min
        let earlier = [lockFree, lockAcquired].compactMap { $0 }.filter { $0.atMillis < seen.atMillis && $0.atMillis >= floor }
        return earlier.min { $0.atMillis < $1.atMillis } ?? seen
    }

    /// When clients lost their master: the old master gone (as `oldMasterGone` dates it),
    /// else its last serving sighting, else the lock seen free, else the acquisition; never
    /// before `notBeforeMillis` (a drill's stop: nothing it caused happened before it).
    public static func outageStart(
        gone: PhaseStamp?, lastServing: PhaseStamp?, lockFree: PhaseStamp?, lockAcquired: PhaseStamp?, notBeforeMillis: Int64? = nil
    ) -> Int64? {
        let floor = lastServing?.atMillis ?? Int64.min
        let start: Int64?
        if let gone = oldMasterGone(seen: gone, lastServing: lastServing, lockFree: lockFree, lockAcquired: lockAcquired) {
            start = gone.atMillis
        } else {
            // Between the last serving sighting and the lock moving lies the death nobody saw.
            let candidates = [lastServing, lockFree, lockAcquired].compactMap { $0?.atMillis }.filter { $0 >= floor }
            start = candidates.min()
        }
        guard let start else { return nil }
        return max(start, notBeforeMillis ?? Int64.min)
    }

    /// How long the group had no serving master: from `outageStart` to the new master serving.
    public static func timeWithoutMaster(outageStartMillis: Int64?, newMasterServingMillis: Int64?) -> Int64? {
        guard let start = outageStartMillis, let end = newMasterServingMillis else { return nil }
        return max(0, end - start)
    }
}
