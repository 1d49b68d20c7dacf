import AMQTopCore

/// One line of `/proc/self/mountinfo`, and the pure parser that finds a file's mount.
///
/// Format (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS`.
/// NFS puts `vers=` in the super options.
public struct MountInfo: Equatable, Sendable {
    public var mountPoint: String
    public var type: String
    public var source: String
    /// Per-mount options (`rw,noatime`).
    public var mountOptions: String
    /// Filesystem-specific options (`rw,vers=4.2,rsize=1048576,...` for NFS).
    public var superOptions: String
    public var major: UInt32
    public var minor: UInt32

    public init(mountPoint: String, type: String, source: String, mountOptions: String, superOptions: String, major: UInt32, minor: UInt32) {
        self.mountPoint = mountPoint
        self.type = type
        self.source = source
        self.mountOptions = mountOptions
        self.superOptions = superOptions
        self.major = major
        self.minor = minor
    }

    /// The NFS protocol version from `vers=` (or `nfsvers=`), e.g. "3", "4.2"; nil when absent.
    public var nfsVersion: String? {
        for option in (superOptions + "," + mountOptions).split(separator: ",") {
            for key in ["vers=", "nfsvers="] where option.hasPrefix(key) {
                return String(option.dropFirst(key.count))
            }
        }
        // An nfs4 mount without a vers= option is still version 4.
        return type == "nfs4" ? "4" : nil
    }

    /// The model value for the lock panel and the alert rules.
    public var filesystemInfo: FilesystemInfo {
        let isNFS = type == "nfs" || type == "nfs4"
        return FilesystemInfo(type: type, mountPoint: mountPoint, nfsVersion: isNFS ? nfsVersion : nil, options: superOptions)
    }

    /// Parses mountinfo text; malformed lines are skipped.
    public static func parse(_ text: String) -> [MountInfo] {
        text.split(separator: "\n").compactMap { parseLine($0) }
    }

    /// Parses one line, or nil when it is not a mountinfo line.
    public static func parseLine<Line: StringProtocol>(_ line: Line) -> MountInfo? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 2 < fields.count else { return nil }
        let device = fields[2].split(separator: ":")
        guard device.count == 2, let major = UInt32(device[0]), let minor = UInt32(device[1]) else { return nil }
        return MountInfo(
            mountPoint: unescape(fields[4]),
            type: String(fields[dash + 1]),
            source: unescape(fields[dash + 2]),
            mountOptions: String(fields[5]),
            superOptions: dash + 3 < fields.count ? String(fields[dash + 3]) : "",
            major: major, minor: minor)
    }

    /// The mount containing `path` (an absolute, symlink-free path): the longest mount point
    /// that is a whole-component prefix; of equal ones the last, since later mounts cover earlier.
    public static func mount(containing path: String, in mounts: [MountInfo]) -> MountInfo? {
        var best: MountInfo?
        for mount in mounts where isPrefix(mount.mountPoint, of: path) {
            if let current = best, current.mountPoint.count > mount.mountPoint.count { continue }
            best = mount
        }
        return best
    }

    private static func isPrefix(_ mountPoint: String, of path: String) -> Bool {
        if mountPoint == "/" { return path.hasPrefix("/") }
        guard path.hasPrefix(mountPoint) else { return false }
        let rest = path.dropFirst(mountPoint.count)
        return rest.isEmpty || rest.hasPrefix("/")
    }

    /// Undoes the kernel's octal escapes (`\040` for a space, `\011`, `\012`, `\134`).
    static func unescape<Field: StringProtocol>(_ field: Field) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
