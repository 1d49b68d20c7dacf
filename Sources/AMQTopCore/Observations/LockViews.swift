/// What comparing several hosts' reads of one lock file showed, beyond the merged snapshot.
///
/// Only a group whose brokers run on other hosts has these: each host reads the file and its
/// own lock table, and some faults exist only in the comparison (two stores under one path,
/// a stale NFS cache, a lock nobody lists). The alert rules read them from here, so these
/// faults reach the dashboard and `status` like every other alert.
public struct LockViews: Equatable, Sendable, Hashable {
    /// The hosts whose reads were compared, in the order they were asked.
    public var hosts: [String]
    /// How the hosts' views differ (bytes, mtime, inode, size, filesystem), or nil when they agree.
    public var disagreement: String?
    /// Set when every host saw the lock held and no host's lock table listed a holder, with
    /// every host answering: the lock has no live owner anywhere amqtop looks. A holder on a
    /// host amqtop cannot reach is not this (that leaves this nil).
    public var heldUnlisted: String?

    public init(hosts: [String], disagreement: String? = nil, heldUnlisted: String? = nil) {
        self.hosts = hosts
        self.disagreement = disagreement
        self.heldUnlisted = heldUnlisted
    }
}
