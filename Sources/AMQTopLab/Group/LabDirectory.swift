import AMQTopCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The directory a lab group runs in: one the lab made itself and marked, so it never
/// writes `amqtop.yaml` over a user's, nor takes part in the election of a lock file it did
/// not create (`amqtop lab --dir` aimed by mistake at a real KahaDB directory).
///
/// The mark is a file of the lab's own, `.amqtop-lab`, holding the owner's pid and the
/// owner's start time (from `/proc/PID/stat`, so a recycled pid is not taken for the owner).
/// A directory is accepted when it does not exist yet, is empty, or carries the mark of an
/// owner that is gone (an earlier lab in it); anything else is refused, unchanged.
///
/// Directories made without `--dir` go under `$XDG_RUNTIME_DIR/amqtop/labs` (else the state
/// directory's `labs/`), where every later start removes the marked ones whose owner died:
/// a `kill -9` of `amqtop demo` leaves its directory only until the next lab or demo.
public enum LabDirectory {
    /// The mark's file name inside a lab directory.
    public static let markerName = ".amqtop-lab"

    /// Why a directory was refused.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Where lab directories are made when no `--dir` is given.
    public static func parent(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isDirectory(runtime) {
            return runtime + "/amqtop/labs"
        }
        return StateDirectory.path(environment: environment) + "/labs"
    }

    /// Claims `requested` for this process (marking it), or makes a new directory under
    /// `parent(environment:)` after removing the stale ones there; returns its absolute path.
    public static func claim(_ requested: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let requested else { return try makeFresh(under: parent(environment: environment)) }
        let path = URL(fileURLWithPath: requested).standardizedFileURL.path
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw Refusal(description: "--dir \(path): \(String(cString: strerror(errno)))") }
            if let problem = StateDirectory.create(path) { throw Refusal(description: "--dir: \(problem)") }
        } else {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Refusal(description: "--dir \(path) is not a directory (a symlink is not followed): give a new or empty directory")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            if !entries.isEmpty {
                guard entries.contains(markerName), let owner = owner(of: path) else {
                    throw Refusal(description: """
                        --dir \(path) is not empty and was not made by amqtop lab (no \(markerName) in it): \
                        refusing to write amqtop.yaml or use a lock file there; give a new or empty directory
                        """)
                }
                if owner.pid != getpid(), isAlive(owner) {
                    throw Refusal(description: "--dir \(path) is in use by another amqtop lab (pid \(owner.pid)); stop it first or give another directory")
                }
            }
        }
        try mark(path)
        return path
    }

    /// Removes the marked directories under `parent` whose owner is gone; returns their paths.
    ///
    /// Only directories carrying the mark are looked at: anything else there stays.
    @discardableResult
    public static func removeStale(under parent: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            let path = parent + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, let owner = owner(of: path), !isAlive(owner) else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The pid and start time recorded in `directory`'s mark; nil without a readable one.
    public static func owner(of directory: String) -> (pid: Int32, startTime: UInt64)? {
        // A small file of our own: read at most 256 bytes, never following a symlink.
        let fd = open(directory + "/" + markerName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        var pid: Int32?
        var start: UInt64?
        for line in String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            if fields[0] == "pid" { pid = Int32(fields[1]) }
            if fields[0] == "start" { start = UInt64(fields[1]) }
        }
        guard let pid, pid > 0, let start else { return nil }
        return (pid, start)
    }

    /// True while the recorded owner runs: the pid exists and started when the mark says.
    public static func isAlive(_ owner: (pid: Int32, startTime: UInt64)) -> Bool {
        startTime(of: owner.pid) == owner.startTime
    }

    /// A process's start time in clock ticks since boot (`/proc/PID/stat`, field 22); nil when
    /// it is gone, or dead and not yet reaped (a zombie: a `kill -9`ed owner whose parent has not waited).
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    /// Writes this process's mark into `directory` (replacing an earlier owner's).
    static func mark(_ directory: String) throws {
        guard let start = startTime(of: getpid()) else { throw Refusal(description: "cannot read this process's start time from /proc/self/stat") }
        let text = "pid \(getpid())\nstart \(start)\n"
        let path = directory + "/" + markerName
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Refusal(description: "cannot mark \(directory) as a lab directory: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw Refusal(description: "cannot mark \(directory) as a lab directory: \(String(cString: strerror(errno)))")
        }
    }

    /// A new marked directory under `parent`, after the stale ones there are removed.
    static func makeFresh(under parent: String) throws -> String {
        if let problem = StateDirectory.create(parent) { throw Refusal(description: "lab directory: \(problem)") }
        removeStale(under: parent)
        var template = Array((parent + "/lab-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Refusal(description: "cannot make a lab directory under \(parent): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        do {
            try mark(path)
        } catch {
            rmdir(path)
            throw error
        }
        return path
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
