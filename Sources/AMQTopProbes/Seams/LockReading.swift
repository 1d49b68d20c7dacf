import AMQTopCore

/// Reads groups' lock files: one `LockFileSnapshot` per group, each delivered as soon as it is known.
///
/// The snapshot is what the rest of amqtop sees of a lock, whoever produced it: `LockFileProbe`
/// reads the file on this host; an implementation for a group whose brokers run elsewhere may
/// read it on each of those hosts and combine the reads (and each host's lock table) into the
/// one snapshot it delivers. Keyed by group rather than path for that reason: the group says
/// which hosts see the file.
public protocol LockReading: Sendable {
    /// Reads the lock files of `groups` (those without one are skipped), handing each group's
    /// snapshot to `deliver` exactly once, as soon as it is read or its deadline passed.
    ///
    /// Returns, by group name, what was really read, and only once no read is still running,
    /// so a caller never starts a second read of a file still stuck on a hung filesystem. A
    /// group whose read timed out may be missing from the result (its late read is dropped).
    func readLocks(
        of groups: [GroupConfig], deliver: @escaping @Sendable (_ group: String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot]

    /// One group's lock file within the deadline (a timed-out snapshot past it); nil when it has none.
    ///
    /// Unlike `readLocks`, returns at the deadline even while the read is stuck: a one-off
    /// look (`status`, a drill's round) must not hang on a hung mount. Has a default.
    func readLock(of group: GroupConfig) async -> LockFileSnapshot?
}

extension LockReading {
    /// The first snapshot `readLocks` delivers for the group; the read itself may run on after.
    public func readLock(of group: GroupConfig) async -> LockFileSnapshot? {
        guard group.lockFile != nil else { return nil }
        let first = FirstSnapshot()
        return await withCheckedContinuation { continuation in
            first.setContinuation(continuation)
            // Not awaited: a read stuck past its deadline keeps this task, not the caller.
            Task {
                let read = await readLocks(of: [group]) { _, snapshot in first.resume(snapshot) }
                first.resume(read[group.name])
            }
        }
    }
}
