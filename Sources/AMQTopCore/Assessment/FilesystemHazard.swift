/// A documented locking hazard of the filesystem under a group's lock, with its wording.
///
/// The one place that decides which hazards apply and how they read: the alert rules raise
/// the ones with an alert, and the lock panel lists the ones with a panel phrase.
/// The hazards are those ActiveMQ's documentation names for shared file system
/// master/slave: NFSv3 never releasing a crashed master's lock, OCFS2 without
/// cluster-aware POSIX locks, NFSv4 without keep-alive letting a slave take the lock.
public enum FilesystemHazard: Equatable, Sendable {
    /// NFSv3: a crashed master's lock is never released.
    case nfs3
    /// OCFS2: no cluster-aware POSIX locks.
    case ocfs2
    /// A shared filesystem with keep-alive off (`stated`) or not stated in amqtop's config.
    case keepAliveOff(stated: Bool, filesystemType: String, nfs4: Bool)
    /// NFSv4 with a keep-alive not well under the lease.
    case keepAliveVsLease(keepAliveMillis: Int64, leaseMillis: Int64)
    /// Another shared filesystem, whose POSIX lock support amqtop cannot judge.
    case sharedLocksUnchecked
    /// The filesystem's type is not known.
    case unknownFilesystem

    /// Every hazard of `filesystem` for a group with this keep-alive and NFS lease, in alert order.
    public static func detect(filesystem: FilesystemInfo?, keepAliveMillis: Int64?, nfsLeaseMillis: Int64) -> [FilesystemHazard] {
        let kind = filesystem?.kind ?? .unknown
        var hazards: [FilesystemHazard] = []
        switch kind {
        case .nfs3: hazards.append(.nfs3)
        case .ocfs2: hazards.append(.ocfs2)
        case .otherShared: hazards.append(.sharedLocksUnchecked)
        case .unknown: hazards.append(.unknownFilesystem)
        case .local, .nfs4: break
        }
        if kind.isShared, keepAliveMillis == nil || keepAliveMillis == 0 {
            hazards.append(.keepAliveOff(stated: keepAliveMillis != nil, filesystemType: filesystem?.type ?? "?", nfs4: kind == .nfs4))
        }
        if kind == .nfs4, let keepAlive = keepAliveMillis, keepAlive > 0, keepAlive * 2 > nfsLeaseMillis {
            hazards.append(.keepAliveVsLease(keepAliveMillis: keepAlive, leaseMillis: nfsLeaseMillis))
        }
        return hazards
    }

    /// The hazard in a few words for the lock panel; nil for those the panel leaves to the alerts.
    public var phrase: String? {
        switch self {
        case .nfs3: "NFSv3: a crashed master's lock is never released"
        case .ocfs2: "OCFS2: both brokers can think they hold the lock"
        case .keepAliveOff(_, _, true): "NFSv4 without keep-alive: a slave can take the lock"
        case .keepAliveOff(_, _, false): nil
        case .keepAliveVsLease: "NFSv4 keep-alive not well under the lease"
        case .sharedLocksUnchecked: "shared filesystem: check its POSIX lock support"
        case .unknownFilesystem: "filesystem type unknown"
        }
    }

    /// The alert this hazard raises; nil for the ones only the panel mentions.
    public var alert: Alert? {
        switch self {
        case .nfs3:
            Alert(
                .warning, .nfs3, "The lock is on NFSv3: if the master crashes, the NFS server never releases its lock and no slave can take over.",
                action: "Mount the share with NFSv4 (vers=4.1 or later); ActiveMQ's documentation warns against NFSv3 for shared file system master/slave.")
        case .ocfs2:
            Alert(
                .warning, .ocfs2, "The lock is on OCFS2, which has no cluster-aware POSIX locks: two brokers can both think they hold the lock (AMQ-4378).",
                action: "Move the KahaDB directory to a filesystem with cluster-wide POSIX locks (GFS2, NFSv4).")
        case .keepAliveOff(let stated, let type, let nfs4):
            Alert(
                .warning, .keepAliveOff,
                "\(stated ? "lockKeepAlivePeriod is 0 (off)" : "lockKeepAlivePeriod is not stated in amqtop's config") on a shared filesystem (\(type)): "
                    + (nfs4
                        ? "on NFSv4 a slave can take the lock behind a master that stalled past the lease, and the old master keeps serving."
                        : "a master that loses its lock does not notice."),
                action: "Set lockKeepAlivePeriod on the brokers' locker (well under the NFS lease) and state it in amqtop's config.")
        case .keepAliveVsLease(let keepAlive, let lease):
            Alert(
                .warning, .keepAliveVsLease,
                "lockKeepAlivePeriod \(DurationFormat.setting(keepAlive)) is not well under the NFSv4 lease (\(DurationFormat.setting(lease))): the master may not notice a lost lock before a slave takes it.",
                action: "Set lockKeepAlivePeriod to at most half the lease (nfsLease in amqtop's config if the server's lease is not 90s).")
        case .sharedLocksUnchecked, .unknownFilesystem:
            nil
        }
    }
}
