/// The broker hosts see different lock files (bytes, mtime, inode, size) at the same path.
///
/// Either a host serves a stale NFS cache or two different stores sit under one path: in
/// both cases the hosts can disagree about who the master is.
public struct LockViewsDisagreeRule: AlertRule {
    public init() {}
    public var name: String { "lock views disagree" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock, let detail = lock.views?.disagreement else { return [] }
        return [Alert(
            .warning, .lockViewsDisagree, "The hosts do not see the same lock file at \(lock.path): \(detail).",
            action: "Check that every broker host mounts the same store (same export, same path) and that no host serves a stale NFS cache (mount options actimeo/noac, lookupcache).")]
    }
}
