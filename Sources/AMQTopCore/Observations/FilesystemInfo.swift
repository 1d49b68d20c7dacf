/// The filesystem under a lock file: how the documented locking hazards are recognised.
public struct FilesystemInfo: Equatable, Sendable {
    /// The mount's type as `/proc/self/mountinfo` names it (`ext4`, `nfs`, `nfs4`, `ocfs2`, `tmpfs`).
    public var type: String
    /// The mount point that contains the lock file.
    public var mountPoint: String?
    /// The NFS protocol version from the mount options (`vers=`), e.g. "3", "4.1".
    public var nfsVersion: String?
    /// The raw super/mount options, for the lock panel.
    public var options: String?

    public init(type: String, mountPoint: String? = nil, nfsVersion: String? = nil, options: String? = nil) {
        self.type = type
        self.mountPoint = mountPoint
        self.nfsVersion = nfsVersion
        self.options = options
    }

    /// The hazard family of this filesystem, for the alert rules.
    public var kind: FilesystemKind { FilesystemKind(type: type, nfsVersion: nfsVersion) }
}

/// Filesystems grouped by how far their locks can be trusted for a shared-lock group.
public enum FilesystemKind: Equatable, Sendable {
    /// A local disk filesystem: fine for a lab, but brokers on other hosts cannot share it.
    case local
    /// NFS version 3: a crashed client's lock is never released.
    case nfs3
    /// NFS version 4.x: locks are leased; a slave can take the lock if the master stops renewing.
    case nfs4
    /// OCFS2: no cluster-aware POSIX locks; both brokers can think they hold the lock.
    case ocfs2
    /// Another shared filesystem (GFS2, CIFS, GlusterFS, CephFS, ...).
    case otherShared
    /// Not known.
    case unknown

    public init(type: String, nfsVersion: String?) {
        switch type.lowercased() {
        case "nfs4":
            self = .nfs4
        case "nfs":
            if let v = nfsVersion, v.hasPrefix("4") { self = .nfs4 } else if nfsVersion == nil { self = .unknown } else { self = .nfs3 }
        case "ocfs2":
            self = .ocfs2
        case "gfs2", "gfs", "cifs", "smb3", "smbfs", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "lustre", "gpfs", "beegfs", "fuse.sshfs":
            self = .otherShared
        case "":
            self = .unknown
        default:
            self = .local
        }
    }

    /// True for filesystems that several hosts can share (where keep-alive matters).
    public var isShared: Bool {
        switch self {
        case .nfs3, .nfs4, .ocfs2, .otherShared: true
        case .local, .unknown: false
        }
    }
}
