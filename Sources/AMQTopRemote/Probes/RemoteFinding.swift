import AMQTopCore

/// What only the comparison of several hosts' views shows, for an alert of its own.
///
/// Kept beside the observations (which have no place for it yet) and printed in
/// `status --json` as `remoteFindings`; the alert table can take these over as rules.
public struct RemoteFinding: Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The hosts see different bytes, mtime, inode or size for the same path.
        case lockViewsDisagree = "LOCK_VIEWS_DISAGREE"
        /// Every host sees the lock held, no host's lock table lists a holder, no broker serves.
        case stuckLock = "STUCK_LOCK"
    }

    public var group: String
    public var code: Code
    public var severity: Severity
    public var message: String
    public var action: String

    /// The finding for hosts whose views of the lock differ.
    static func disagreement(group: String, path: String, detail: String) -> RemoteFinding {
        RemoteFinding(
            group: group, code: .lockViewsDisagree, severity: .warning,
            message: "The hosts do not see the same lock file at \(path): \(detail).",
            action: "Check that every broker host mounts the same store (same export, same path) and that no host serves a stale NFS cache (mount options actimeo/noac, lookupcache).")
    }

    /// The finding for a lock held by nobody amqtop can see while no broker serves.
    static func stuck(group: String, detail: String) -> RemoteFinding {
        RemoteFinding(
            group: group, code: .stuckLock, severity: .critical,
            message: "No broker serves and the lock is held by nobody: \(detail). This is the NFSv3 failure of the shared file system master/slave page: a crashed client's lock is never released and the slaves cannot start up.",
            action: "Restart every broker host of the group (a reboot releases the dead client's locks on the NFS server), or clear the lock on the NFS server (e.g. restart its lock manager); then prefer NFSv4 with lockKeepAlivePeriod.")
    }
}
