import AMQTopCore
import CSysShim
import Foundation

/// Reads a KahaDB lock file strictly read-only: its timestamp, its stat, its holder, its filesystem.
///
/// The only calls made on the file are `open(O_RDONLY)`, `fstat`, `pread` and
/// `fcntl(F_GETLK)` (which tests for a conflicting lock and takes none). Nothing is ever
/// written, created, locked or touched: a keep-alive master stops itself when the file's
/// mtime changes. The calls can block on a hung NFS mount, so run this through
/// `LockFileProbe`, never on the cooperative pool.
public struct LockFileReader: Sendable {
    /// Where POSIX locks are listed (overridable for tests).
    public var procLocksPath: String
    /// Where this process's mounts are listed (overridable for tests).
    public var mountInfoPath: String

    /// `/proc/locks`' POSIX and OFD locks by inode, shared by the reads of one round
    /// (refreshed when it disagrees with F_GETLK).
    private let procLocks: ProcTextCache<[UInt64: [ProcLock]]>
    /// The mount table, parsed: mounts change rarely, and a remount shows within seconds.
    private let mounts: ProcTextCache<[MountInfo]>
    /// Each path's filesystem, kept as long as the mount table.
    private let filesystems = FilesystemCache(maxAgeMillis: 5000)
    /// Stamps each snapshot's read time.
    private let clock: any AppClock

    public init(
        procLocksPath: String = "/proc/locks", mountInfoPath: String = "/proc/self/mountinfo", clock: any AppClock = SystemClock()
    ) {
        self.clock = clock
        self.procLocksPath = procLocksPath
        self.mountInfoPath = mountInfoPath
        self.procLocks = ProcTextCache(path: procLocksPath, maxAgeMillis: 100) { text in
            Dictionary(grouping: ProcLock.parse(text).filter { $0.kind == "POSIX" || $0.kind == "OFDLCK" }, by: \.inode)
        }
        self.mounts = ProcTextCache(path: mountInfoPath, maxAgeMillis: 5000) { MountInfo.parse($0) }
    }

    /// One read-only look at the file at `path`.
    public func read(path: String) -> LockFileSnapshot {
        let now = clock.nowMillis()
        // No O_NOFOLLOW: KahaDB directories are often reached through symlinks. O_NONBLOCK
        // keeps a FIFO planted at the path from blocking the open; regular files ignore it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            let state = Self.state(forErrno: code)
            if state == .permissionDenied { return unreadable(path: path, atMillis: now) }
            return LockFileSnapshot(path: path, atMillis: now, state: state, holder: .free,
                                    filesystem: filesystem(of: path, exists: false))
        }
        // Closing releases this process's POSIX locks on the file; it never holds any.
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return LockFileSnapshot(path: path, atMillis: now, state: Self.state(forErrno: errno), holder: .unknown("fstat failed"))
        }
        let mtimeNanos = LockFileSnapshot.nanoseconds(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
        var snapshot = LockFileSnapshot(
            path: path, atMillis: now, state: .ok, size: Int64(info.st_size),
            mtimeMillis: mtimeNanos / 1_000_000, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            holder: .unknown("not checked"), filesystem: filesystem(of: path, exists: true), mtimeNanos: mtimeNanos)
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            snapshot.state = .isDirectory
            snapshot.holder = .free
            return snapshot
        case S_IFREG:
            break
        default:
            // A FIFO, a device or a socket at the lock's path is no lock: say what it is, and
            // do not call the lock "free" (nobody can tell who is master from it).
            let kind = SafeFile.kind(mode: info.st_mode) ?? "not a regular file"
            snapshot.state = .error("is \(kind), not a regular file")
            snapshot.holder = .unknown("the lock path is \(kind)")
            return snapshot
        }
        snapshot.holder = holder(fd: fd, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), filesystem: snapshot.filesystem)
        if info.st_size == 0 {
            snapshot.state = .empty
            return snapshot
        }
        // Eight bytes on the stack: no array allocated per read, hundreds of reads a second.
        var raw: UInt64 = 0
        var count = 0
        while count < 8 {
            let n = withUnsafeMutableBytes(of: &raw) { pread(fd, $0.baseAddress.map { $0 + count }, 8 - count, off_t(count)) }
            if n < 0, errno == EINTR { continue }
            if n < 0 {
                snapshot.state = Self.state(forErrno: errno)
                return snapshot
            }
            if n == 0 { break }
            count += n
        }
        if count < 8 {
            snapshot.state = .short(size: Int64(count))
            return snapshot
        }
        withUnsafeBytes(of: raw) { snapshot.setTimestamp(fromBytes: $0) }
        return snapshot
    }

    /// A file that exists but cannot be opened (mode 0600, another owner): what `stat` and
    /// /proc/locks still tell, which needs no read permission.
    ///
    /// Reporting such a lock as free would make the group look masterless ("the lock is
    /// free") when the real master holds it; the holder is only `.free` when /proc/locks
    /// (complete for local filesystems) lists nobody on the inode.
    func unreadable(path: String, atMillis now: Int64) -> LockFileSnapshot {
        var snapshot = LockFileSnapshot(path: path, atMillis: now, state: .permissionDenied,
                                        holder: .unknown("lock file not readable"), filesystem: filesystem(of: path, exists: false))
        var info = stat()
        guard stat(path, &info) == 0 else { return snapshot }
        let mtimeNanos = LockFileSnapshot.nanoseconds(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
        snapshot.size = Int64(info.st_size)
        snapshot.mtimeNanos = mtimeNanos
        snapshot.mtimeMillis = mtimeNanos / 1_000_000
        snapshot.device = UInt64(info.st_dev)
        snapshot.inode = UInt64(info.st_ino)
        snapshot.filesystem = filesystem(of: path, exists: true)
        let onNetwork = snapshot.filesystem?.kind.isShared ?? true
        if let locks = localLocks(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), fresh: true) {
            if let holder = locks.first(where: { $0.pid > 0 }) {
                snapshot.holder = .pid(holder.pid)
            } else if !onNetwork {
                snapshot.holder = .free
            }
        }
        return snapshot
    }

    /// The snapshot state for an errno from `open`, `fstat` or `pread`.
    public static func state(forErrno code: Int32) -> LockFileSnapshot.State {
        switch code {
        case ENOENT, ENOTDIR: .missing
        case EACCES, EPERM: .permissionDenied
        case ESTALE: .staleHandle
        case EISDIR: .isDirectory
        default: .error(String(cString: strerror(code)))
        }
    }

    // MARK: - Holder

    /// Who holds a POSIX lock on the file: `fcntl(F_GETLK)`, cross-checked with `/proc/locks`.
    func holder(fd: Int32, device: UInt64, inode: UInt64, filesystem: FilesystemInfo?) -> LockFileSnapshot.Holder {
        // A write-lock query over the whole file conflicts with any lock anybody holds on it.
        // F_GETLK only tests; it is allowed on a read-only descriptor and takes nothing.
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = 0
        query.l_len = 0
        let getlkFailed = fcntl(fd, F_GETLK, &query) != 0
        let getlkErrno = getlkFailed ? errno : 0
        // Nobody holds it: no need to look further.
        if !getlkFailed, query.l_type == Int16(F_UNLCK) { return .free }
        // On a local filesystem F_GETLK's pid is the holder on this host, and a copy of
        // /proc/locks of any age that lists that pid on this inode agrees with it: answer
        // without reading the file again (it was re-read every round, 100 locks parsed four
        // times a second). A copy that does not list it is refreshed below, as before.
        if !getlkFailed, query.l_pid > 0, filesystem?.kind == .local,
            let copy = procLocks.lastValue(), Self.locks(in: copy, device: device, inode: inode).contains(where: { $0.pid == query.l_pid })
        {
            return .pid(query.l_pid)
        }
        var local = localLocks(device: device, inode: inode, fresh: false)
        if !getlkFailed, query.l_pid > 0, let listed = local, !listed.contains(where: { $0.pid == query.l_pid }) {
            // The shared copy predates this holder (a takeover just happened): read it again.
            local = localLocks(device: device, inode: inode, fresh: true)
        }
        let onNetwork = filesystem?.kind.isShared ?? false

        if getlkFailed {
            if let locks = local, let holder = locks.first(where: { $0.pid > 0 }) { return .pid(holder.pid) }
            if local != nil, !onNetwork { return .free }
            return .unknown("F_GETLK failed: \(String(cString: strerror(getlkErrno)))")
        }
        if query.l_type == Int16(F_UNLCK) { return .free }
        let pid = query.l_pid
        if let locks = local {
            if pid > 0, locks.contains(where: { $0.pid == pid }) { return .pid(pid) }
            if let other = locks.first(where: { $0.pid > 0 }) { return .pid(other.pid) }
            // Held, but by no lock on this host: another NFS client (its pid means nothing here).
            if onNetwork || pid <= 0 { return .elsewhere }
            return Self.isAlive(pid) ? .pid(pid) : .elsewhere
        }
        // /proc/locks unreadable: trust F_GETLK when its pid is a live local process.
        if pid <= 0 || onNetwork { return .elsewhere }
        return Self.isAlive(pid) ? .pid(pid) : .elsewhere
    }

    /// The POSIX/OFD locks on this inode listed in /proc/locks, or nil when it cannot be read.
    private func localLocks(device: UInt64, inode: UInt64, fresh: Bool) -> [ProcLock]? {
        guard let byInode = procLocks.value(fresh: fresh) else { return nil }
        return Self.locks(in: byInode, device: device, inode: inode)
    }

    /// The locks of `byInode` on this device and inode (on the inode alone when none match the device).
    private static func locks(in byInode: [UInt64: [ProcLock]], device: UInt64, inode: UInt64) -> [ProcLock] {
        let (major, minor) = Self.split(device: device)
        let onInode = byInode[inode] ?? []
        let exact = onInode.filter { $0.major == major && $0.minor == minor }
        // Overlay and some FUSE filesystems report a different st_dev from the one the
        // lock is filed under; the inode alone is the next best match.
        return exact.isEmpty ? onInode : exact
    }

    /// glibc's `major()`/`minor()` split of a `dev_t`.
    static func split(device: UInt64) -> (major: UInt32, minor: UInt32) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & 0xffff_f000)
        let minor = (device & 0xff) | ((device >> 12) & 0xffff_ff00)
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: - Filesystem

    /// The filesystem under the file (or under its directory when the file is missing).
    func filesystem(of path: String, exists: Bool) -> FilesystemInfo? {
        let target = exists ? path : (path as NSString).deletingLastPathComponent
        return filesystems.info(for: target) {
            guard let resolved = Self.realPath(target.isEmpty ? "." : target) else { return nil }
            if let table = mounts.value(), let mount = MountInfo.mount(containing: resolved, in: table) {
                return mount.filesystemInfo
            }
            var magic: Int64 = 0
            guard amqtop_statfs_type(resolved, &magic) == 0 else { return nil }
            return FilesystemInfo(type: FilesystemMagic.name(for: magic) ?? "0x" + String(UInt32(truncatingIfNeeded: magic), radix: 16))
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
