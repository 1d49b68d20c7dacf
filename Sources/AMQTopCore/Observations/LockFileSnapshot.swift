/// One read-only look at a group's KahaDB `lock` file.
///
/// ActiveMQ's new master writes `System.currentTimeMillis()` as 8 big-endian bytes at
/// offset 0 when it takes the lock, so those bytes are the current tenure's start and
/// the file's mtime is the same instant. The reader never writes, locks or touches the
/// file: a changed mtime makes a keep-alive master shut itself down.
public struct LockFileSnapshot: Equatable, Sendable {
    /// Whether the file could be read, and if not, why.
    public enum State: Equatable, Sendable, Hashable {
        case ok
        case missing
        case permissionDenied
        case isDirectory
        /// The file exists with no bytes: no broker has ever written its timestamp.
        case empty
        /// Fewer than 8 bytes: the timestamp is cut short.
        case short(size: Int64)
        /// NFS answered ESTALE: the directory or file was replaced on the server.
        case staleHandle
        case error(String)

        /// A stable code for JSON output.
        public var code: String {
            switch self {
            case .ok: "ok"
            case .missing: "missing"
            case .permissionDenied: "permissionDenied"
            case .isDirectory: "isDirectory"
            case .empty: "empty"
            case .short: "short"
            case .staleHandle: "staleHandle"
            case .error: "error"
            }
        }

        /// A short phrase for the lock panel.
        public var summary: String {
            switch self {
            case .ok: "present"
            case .missing: "missing"
            case .permissionDenied: "permission denied"
            case .isDirectory: "is a directory"
            case .empty: "empty (no timestamp yet)"
            case .short(let size): "short (\(size) bytes, timestamp needs 8)"
            case .staleHandle: "stale NFS file handle"
            case .error(let text): text
            }
        }
    }

    /// Who holds the POSIX lock on the file, as far as this host can see.
    public enum Holder: Equatable, Sendable, Hashable {
        /// Nobody holds it: no master, or a master that lost its lock.
        case free
        /// A process on this host (its pid).
        case pid(Int32)
        /// Held, but by a process on another host (NFS reports no usable pid).
        case elsewhere
        /// The holder could not be determined.
        case unknown(String)

        public var code: String {
            switch self {
            case .free: "free"
            case .pid: "pid"
            case .elsewhere: "elsewhere"
            case .unknown: "unknown"
            }
        }

        /// The holder's pid when it is a local process.
        public var pid: Int32? {
            if case .pid(let p) = self { return p }
            return nil
        }

        /// True when somebody holds the lock (here or elsewhere).
        public var isHeld: Bool {
            switch self {
            case .pid, .elsewhere: true
            case .free, .unknown: false
            }
        }
    }

    public var path: String
    public var atMillis: Int64
    public var state: State
    public var size: Int64?
    public var mtimeMillis: Int64?
    /// The exact mtime in nanoseconds since the epoch: two reads that differ here mean the
    /// file was written or touched in between, even within one millisecond.
    public var mtimeNanos: Int64?
    public var device: UInt64?
    public var inode: UInt64?
    /// The first 8 bytes as a big-endian millisecond timestamp: when the master took the lock.
    ///
    /// Only ever a plausible time (see ``timestampProblem(_:atMillis:)``): everything that
    /// computes with it (lock age, the mtime check, history keys) can rely on that.
    public var acquiredAtMillis: Int64?
    /// The first 8 bytes when they are no plausible time (before 2000, far in the future,
    /// negative): shown as such with an alert, and never used as the acquisition time.
    public var implausibleTimestampMillis: Int64?
    public var holder: Holder
    /// The host whose lock table lists the holder's pid (a configured host's name); nil is this host.
    public var holderHost: String?
    public var filesystem: FilesystemInfo?
    /// The comparison of the hosts' reads, for a group read through its brokers' hosts; nil when read here only.
    public var views: LockViews?

    public init(
        path: String, atMillis: Int64, state: State, size: Int64? = nil, mtimeMillis: Int64? = nil,
        device: UInt64? = nil, inode: UInt64? = nil, acquiredAtMillis: Int64? = nil,
        holder: Holder = .unknown("not checked"), filesystem: FilesystemInfo? = nil, mtimeNanos: Int64? = nil,
        holderHost: String? = nil, views: LockViews? = nil
    ) {
        self.views = views
        self.holderHost = holderHost
        self.mtimeNanos = mtimeNanos
        self.path = path
        self.atMillis = atMillis
        self.state = state
        self.size = size
        self.mtimeMillis = mtimeMillis
        self.device = device
        self.inode = inode
        self.acquiredAtMillis = acquiredAtMillis
        self.holder = holder
        self.filesystem = filesystem
    }

    /// True when the lock is held by process `pid` on `host` (nil: this host).
    ///
    /// The same pid on two hosts is two processes: only the host whose lock table lists
    /// the holder can say which of its processes holds it.
    public func isHeld(byPid pid: Int32?, onHost host: String?) -> Bool {
        guard let pid, let holderPid = holder.pid else { return false }
        return pid == holderPid && host == holderHost
    }

    /// How long the current master has held the lock, as of `nowMillis`.
    public func ageMillis(nowMillis: Int64) -> Int64? {
        guard let acquired = acquiredAtMillis else { return nil }
        return max(0, Self.distance(from: acquired, to: nowMillis))
    }

    /// `to - from`, saturated at the ends of `Int64` instead of trapping (both come from outside).
    public static func distance(from: Int64, to: Int64) -> Int64 {
        let (difference, overflow) = to.subtractingReportingOverflow(from)
        guard overflow else { return difference }
        return to > from ? .max : .min
    }

    /// Nanoseconds since the epoch from a `timespec`'s parts, saturated: `touch -d 3000-01-01`
    /// gives a lock file an mtime whose nanoseconds do not fit in `Int64`.
    public static func nanoseconds(seconds: Int64, nanoseconds: Int64) -> Int64 {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = scaled.addingReportingOverflow(nanoseconds)
        return overflowSum ? (seconds < 0 ? .min : .max) : sum
    }

    /// The earliest plausible lock timestamp, 2000-01-01: ActiveMQ with KahaDB is younger.
    public static let earliestPlausibleMillis: Int64 = 946_684_800_000
    /// How far ahead of this host's clock a timestamp may be (another host's clock can run
    /// ahead); more is no time a master could have written.
    public static let futureToleranceMillis: Int64 = 86_400_000

    /// Why `timestamp` cannot be a master's acquisition time read at `atMillis`, or nil when it can.
    public static func timestampProblem(_ timestamp: Int64, atMillis: Int64) -> String? {
        if timestamp < 0 { return "negative" }
        if timestamp < earliestPlausibleMillis { return "before 2000" }
        let latest = atMillis.addingReportingOverflow(futureToleranceMillis)
        if !latest.overflow, timestamp > latest.partialValue { return "in the future" }
        return nil
    }

    /// Sets the timestamp from the file's leading bytes: a plausible one as ``acquiredAtMillis``,
    /// any other as ``implausibleTimestampMillis`` (so no caller computes with a year 506713).
    public mutating func setTimestamp<Bytes: Collection>(fromBytes bytes: Bytes) where Bytes.Element == UInt8 {
        acquiredAtMillis = nil
        implausibleTimestampMillis = nil
        guard let raw = Self.decodeTimestamp(bytes) else { return }
        if Self.timestampProblem(raw, atMillis: atMillis) == nil {
            acquiredAtMillis = raw
        } else {
            implausibleTimestampMillis = raw
        }
    }

    /// How far the mtime is from the written timestamp, saturated; nil when either is unknown.
    public var mtimeDriftMillis: Int64? {
        guard let acquired = acquiredAtMillis, let mtime = mtimeMillis else { return nil }
        let distance = Self.distance(from: acquired, to: mtime)
        return distance == .min ? .max : abs(distance)
    }

    /// Whether the mtime agrees with the written timestamp (within a tolerance).
    ///
    /// The master writes and fsyncs the timestamp in one step, so the two match to the
    /// filesystem's timestamp granularity; a later mtime means somebody touched the file,
    /// which makes a keep-alive master give up. Nil when either is unknown.
    public var mtimeMatchesTimestamp: Bool? {
        mtimeDriftMillis.map { $0 <= LockFileSnapshot.mtimeToleranceMillis }
    }

    /// How far mtime may drift from the timestamp: the write and the fsync that set it
    /// happen a few milliseconds apart, and some filesystems keep whole seconds.
    public static let mtimeToleranceMillis: Int64 = 2000

    /// Decodes ActiveMQ's lock-file timestamp from the file's leading bytes.
    ///
    /// Returns nil for fewer than 8 bytes; the value is a signed big-endian Int64.
    public static func decodeTimestamp<Bytes: Collection>(_ bytes: Bytes) -> Int64? where Bytes.Element == UInt8 {
        guard bytes.count >= 8 else { return nil }
        var value: UInt64 = 0
        for byte in bytes.prefix(8) { value = (value << 8) | UInt64(byte) }
        return Int64(bitPattern: value)
    }
}
