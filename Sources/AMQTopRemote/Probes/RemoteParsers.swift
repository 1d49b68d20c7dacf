import AMQTopCore
import AMQTopProbes
import Foundation

/// Turns the remote snippets' output into observations.
public enum RemoteParsers {
    /// The process observation for `RemoteScripts.pid`'s output.
    public static func process(_ text: String, host: String, atMillis: Int64) -> ProcessObservation {
        let words = text.split(whereSeparator: \.isWhitespace)
        switch (words.first.map(String.init), words.dropFirst().first.flatMap { Int32($0) }) {
        case ("nopid", _): return ProcessObservation(atMillis: atMillis, pid: nil, state: .noPidFile, host: host)
        case ("alive", let pid?): return ProcessObservation(atMillis: atMillis, pid: pid, state: .alive, host: host)
        case ("dead", let pid?): return ProcessObservation(atMillis: atMillis, pid: pid, state: .dead, host: host)
        case ("notapid", _): return ProcessObservation(atMillis: atMillis, pid: nil, state: .unreadable("no pid in the file"), host: host)
        default:
            return ProcessObservation(
                atMillis: atMillis, pid: nil, state: .unreadable("unexpected answer: \(text.prefix(80))"), host: host)
        }
    }

    /// Whether a TCP socket listens on `port` in `/proc/net/tcp`/`tcp6` text (state 0A = LISTEN).
    ///
    /// Any local address counts: a broker binds its connector to one of the host's own
    /// addresses or to the wildcard, and amqtop does not resolve names as the host would.
    public static func listens(_ tables: String, port: Int) -> Bool {
        let wanted = String(format: "%04X", port)
        for line in tables.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3, fields[3] == "0A" else { continue }
            if let colon = fields[1].lastIndex(of: ":"), fields[1][fields[1].index(after: colon)...].uppercased() == wanted {
                return true
            }
        }
        return false
    }

    /// One host's view of a lock file, before the views of all hosts are merged.
    public struct LockView: Sendable, Equatable {
        public var host: String
        public var state: LockFileSnapshot.State
        public var size: Int64?
        public var mtimeNanos: Int64?
        public var device: UInt64?
        public var inode: UInt64?
        public var bytes: [UInt8]?
        public var filesystemMagic: UInt64?
        /// Live POSIX holders of this inode in the host's lock table.
        public var holders: [Int32]
        /// What `F_GETLK` said on this host: held or not, and the pid it gave (0 or less: another host
        /// or pid namespace); nil when it could not be asked (no perl there).
        public var getLock: (held: Bool, pid: Int32)?
        /// The mount under the file as the host sees it (type, mount point, NFS version).
        public var filesystem: FilesystemInfo?
        /// What the lock's path is when it is neither a regular file nor a directory (`stat`'s
        /// words: "fifo", "socket", "character special file"); nil for a file or a directory.
        public var notRegular: String?

        public init(host: String, state: LockFileSnapshot.State, size: Int64? = nil, mtimeNanos: Int64? = nil,
                    device: UInt64? = nil, inode: UInt64? = nil, bytes: [UInt8]? = nil, filesystemMagic: UInt64? = nil,
                    holders: [Int32] = []) {
            self.host = host
            self.state = state
            self.size = size
            self.mtimeNanos = mtimeNanos
            self.device = device
            self.inode = inode
            self.bytes = bytes
            self.filesystemMagic = filesystemMagic
            self.holders = holders
        }

        public static func == (lhs: LockView, rhs: LockView) -> Bool {
            lhs.host == rhs.host && lhs.state == rhs.state && lhs.size == rhs.size && lhs.mtimeNanos == rhs.mtimeNanos
                && lhs.device == rhs.device && lhs.inode == rhs.inode && lhs.bytes == rhs.bytes
                && lhs.filesystemMagic == rhs.filesystemMagic && lhs.holders == rhs.holders
                && lhs.getLock?.held == rhs.getLock?.held && lhs.getLock?.pid == rhs.getLock?.pid
                && lhs.filesystem == rhs.filesystem && lhs.notRegular == rhs.notRegular
        }
    }

    /// The view in `RemoteScripts.lock`'s output.
    public static func lockView(_ text: String, host: String) -> LockView {
        var view = LockView(host: host, state: .error("no answer"))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var locksText = ""
        while let line = lines.popFirst() {
            if line == "locks" { locksText = lines.joined(separator: "\n"); break }
            if line.hasPrefix("stat ") {
                let fields = line.dropFirst(5).split(separator: " ", maxSplits: 4)
                guard fields.count == 5, let size = Int64(fields[0]), let device = UInt64(fields[2]), let inode = UInt64(fields[3]) else {
                    view.state = .error("unexpected stat answer: \(line.prefix(80))")
                    continue
                }
                view.size = size
                view.mtimeNanos = nanos(String(fields[1]))
                view.device = device
                view.inode = inode
                let kind = String(fields[4])
                if kind.contains("directory") { view.state = .isDirectory }
                else if kind != "regular file", kind != "regular empty file" {
                    // A FIFO, a device or a socket at the lock's path is no lock, and not "free".
                    view.notRegular = kind
                    view.state = .error("is a \(kind), not a regular file")
                }
                else if size == 0 { view.state = .empty }
                else if size < 8 { view.state = .short(size: size) }
                else { view.state = .ok }
            } else if line.hasPrefix("staterr ") {
                let message = String(line.dropFirst(8))
                if message.contains("No such file") || message.contains("Not a directory") { view.state = .missing }
                else if message.contains("Permission denied") { view.state = .permissionDenied }
                else if message.contains("Stale file handle") { view.state = .staleHandle }
                else { view.state = .error(message) }
            } else if line.hasPrefix("bytes") {
                let bytes = line.dropFirst(5).split(separator: " ").compactMap { UInt8($0, radix: 16) }
                view.bytes = bytes
            } else if line.hasPrefix("byteserr ") {
                let message = String(line.dropFirst(9))
                view.state = message.contains("Permission denied") ? .permissionDenied : .error("read failed: \(message)")
            } else if line.hasPrefix("getlk ") {
                let fields = line.split(separator: " ")
                if fields.count == 3, let type = Int32(fields[1]), let pid = Int32(fields[2]) {
                    // F_UNLCK is 2 on Linux.
                    view.getLock = (held: type != 2, pid: pid)
                }
            } else if line.hasPrefix("mount ") {
                // findmnt -r: three space-separated fields, blanks inside them escaped as \x20.
                let fields = line.dropFirst(6).split(separator: " ", maxSplits: 2).map(String.init)
                if fields.count >= 2 {
                    let options = fields.count == 3 ? fields[2] : nil
                    let version = options?.split(separator: ",").first { $0.hasPrefix("vers=") }.map { String($0.dropFirst(5)) }
                    view.filesystem = FilesystemInfo(
                        type: fields[0], mountPoint: fields[1].replacingOccurrences(of: "\\x20", with: " "),
                        nfsVersion: version, options: options)
                }
            } else if line.hasPrefix("fstype ") {
                view.filesystemMagic = UInt64(line.dropFirst(7), radix: 16)
            }
        }
        if let device = view.device, let inode = view.inode {
            let major = UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff))
            let minor = UInt32(truncatingIfNeeded: (device & 0xff) | ((device >> 12) & ~0xff))
            view.holders = ProcLock.parse(locksText)
                .filter { $0.inode == inode && $0.major == major && $0.minor == minor && $0.access == "WRITE" && $0.pid > 0 }
                .map(\.pid)
        }
        return view
    }

    /// `SECONDS.NANOS` (GNU stat's `%.9Y`) as nanoseconds since the epoch.
    static func nanos(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let seconds = Int64(parts.first ?? "") else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = String(parts[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
            guard let value = Int64(digits) else { return nil }
            fraction = value
        }
        return seconds * 1_000_000_000 + fraction
    }
}
