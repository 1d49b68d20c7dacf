import Foundation

/// The one way amqtop reads a file a user named: checked for type and size, never blocking.
///
/// A FIFO planted as `ca:` blocked `status` forever in `open(2)`, a device or a 1 GB file
/// was read whole into memory, and "permission denied?" was said of a FIFO. Every file a
/// user names (config, password file, CA, theme, pid file, audit log, broker XML) is read
/// here: `stat` first (following symlinks, as a path in a config means the file it points
/// at), then `open(O_RDONLY | O_NONBLOCK)` so even a FIFO swapped in after the check cannot
/// block, `fstat` of the open descriptor (the file read is the file checked), a refusal of
/// anything but a regular file, and a size cap. Errors are plain and name the file.
public enum SafeFile {
    /// Why a file could not be read; `description` names the file and says what was wrong.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Reason: Equatable, Sendable {
            case missing
            /// A directory on the way to the file cannot be searched (EACCES from `stat`).
            case unsearchable
            /// The file exists but this user may not read it.
            case permissionDenied
            /// Not a regular file: its kind ("a FIFO", "a directory", "a character device", ...).
            case notRegular(String)
            case tooLarge(limitBytes: Int)
            case other(String)
        }

        public var path: String
        public var reason: Reason

        public init(path: String, reason: Reason) {
            self.path = path
            self.reason = reason
        }

        /// What is wrong, without the path (for messages that name the file themselves).
        public var problem: String {
            switch reason {
            case .missing: "no such file"
            case .unsearchable: "cannot be reached: a directory on its path is not searchable by this user (permission denied)"
            case .permissionDenied: "permission denied (this user may not read it)"
            case .notRegular(let kind): "is \(kind), not a regular file"
            case .tooLarge(let limit): "larger than \(Self.sizeText(limit)), more than amqtop reads from such a file"
            case .other(let text): text
            }
        }

        public var description: String { "\(path): \(problem)" }

        /// `64 KiB`, `16 MiB`: limits are round powers of two.
        static func sizeText(_ bytes: Int) -> String {
            bytes >= 1_048_576 ? "\(bytes / 1_048_576) MiB" : bytes >= 1024 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
        }
    }

    /// The kind of file a `st_mode` names, as a phrase ("a FIFO"); nil for a regular file.
    public static func kind(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The whole file, at most `limitBytes` long; throws ``Failure``.
    public static func read(_ path: String, limitBytes: Int) throws(Failure) -> [UInt8] {
        let reader = try open(path, limitBytes: limitBytes)
        defer { reader.close() }
        var bytes: [UInt8] = []
        while let chunk = try reader.next() { bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// The whole file as UTF-8 text; a file that is not UTF-8 is `.other("not UTF-8 text")`.
    public static func text(_ path: String, limitBytes: Int) throws(Failure) -> String {
        let bytes = try read(path, limitBytes: limitBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(path: path, reason: .other("not UTF-8 text"))
        }
        return text
    }

    /// Checks the path and opens it for reading in chunks; throws ``Failure``.
    ///
    /// `limitBytes` caps what ``Reader/next()`` will ever return; nil reads to the end (for
    /// a stream that is consumed line by line with bounded memory).
    public static func open(_ path: String, limitBytes: Int?) throws(Failure) -> Reader {
        var info = stat()
        if stat(path, &info) != 0 { throw failure(path, errno: errno, onOpen: false) }
        if let kind = kind(mode: info.st_mode) { throw Failure(path: path, reason: .notRegular(kind)) }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw failure(path, errno: errno, onOpen: true) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw failure(path, errno: code, onOpen: true)
        }
        if let kind = kind(mode: opened.st_mode) {
            Glibc.close(fd)
            throw Failure(path: path, reason: .notRegular(kind))
        }
        if let limitBytes, opened.st_size > off_t(limitBytes) {
            Glibc.close(fd)
            throw Failure(path: path, reason: .tooLarge(limitBytes: limitBytes))
        }
        return Reader(path: path, fd: fd, limitBytes: limitBytes, mode: opened.st_mode)
    }

    /// An open regular file read in chunks of at most 64 KiB.
    public final class Reader {
        public let path: String
        /// The open file's `st_mode` (permission bits checked on the descriptor, not the path).
        public let mode: mode_t
        private var fd: Int32
        private let limitBytes: Int?
        private var total = 0

        fileprivate init(path: String, fd: Int32, limitBytes: Int?, mode: mode_t) {
            self.path = path
            self.mode = mode
            self.fd = fd
            self.limitBytes = limitBytes
        }

        deinit { close() }

        /// The next chunk, or nil at the end; throws when the file grew past its limit.
        public func next() throws(Failure) -> [UInt8]? {
            guard fd >= 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count < 0 { throw SafeFile.failure(path, errno: errno, onOpen: true) }
                if count == 0 { return nil }
                total += count
                if let limitBytes, total > limitBytes { throw Failure(path: path, reason: .tooLarge(limitBytes: limitBytes)) }
                return Array(chunk[0..<count])
            }
        }

        /// Closes the file (also done when the reader goes away).
        public func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    static func failure(_ path: String, errno code: Int32, onOpen: Bool) -> Failure {
        switch code {
        case ENOENT, ENOTDIR: Failure(path: path, reason: .missing)
        case EACCES, EPERM: Failure(path: path, reason: onOpen ? .permissionDenied : .unsearchable)
        case ELOOP: Failure(path: path, reason: .other("too many levels of symbolic links"))
        case ENAMETOOLONG: Failure(path: path, reason: .other("path too long"))
        default: Failure(path: path, reason: .other(String(cString: strerror(code))))
        }
    }
}
