/// One POSIX lock from `/proc/locks`, and the pure parser for that file.
///
/// Lines look like `1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF`; waiters are marked
/// `->` and are not holders; OFD locks show pid -1.
public struct ProcLock: Equatable, Sendable {
    /// `POSIX`, `FLOCK`, `OFDLCK`, `LEASE`.
    public var kind: String
    /// `READ` or `WRITE`.
    public var access: String
    public var pid: Int32
    public var major: UInt32
    public var minor: UInt32
    public var inode: UInt64

    public init(kind: String, access: String, pid: Int32, major: UInt32, minor: UInt32, inode: UInt64) {
        self.kind = kind
        self.access = access
        self.pid = pid
        self.major = major
        self.minor = minor
        self.inode = inode
    }

    /// Parses `/proc/locks`, skipping waiters and malformed lines.
    public static func parse(_ text: String) -> [ProcLock] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, !fields.contains("->") else { return nil }
            // The device is printed as hex major:minor, the inode in decimal.
            let device = fields[5].split(separator: ":")
            guard device.count == 3, let major = UInt32(device[0], radix: 16), let minor = UInt32(device[1], radix: 16),
                let inode = UInt64(device[2]), let pid = Int32(fields[4])
            else { return nil }
            return ProcLock(kind: String(fields[1]), access: String(fields[3]), pid: pid, major: major, minor: minor, inode: inode)
        }
    }
}
