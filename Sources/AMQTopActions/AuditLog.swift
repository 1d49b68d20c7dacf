import AMQTopCore
import Foundation

/// The append-only audit log of actions: one JSON object per line.
///
/// Each entry is one `write` on a descriptor opened with `O_APPEND`, so two dashboards
/// appending at once never interleave inside a line.
public struct AuditLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/amqtop/audit.log`, or `~/.local/state/amqtop/audit.log`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateDirectory.path(environment: environment) + "/audit.log"
    }

    /// A problem reading or writing the log, naming the file.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Appends one entry and flushes it to disk; the directory is created (0700) when missing.
    ///
    /// Throws a `Failure` in plain words (the path and the system's reason, never a raw
    /// Foundation error) when the line is not all on disk: a caller about to act must not.
    /// Only a regular file is written (opened without waiting, so a FIFO planted as the log
    /// cannot hang a stop); a short write or a failed flush (a full disk) is a failure.
    public func append(_ entry: AuditEntry) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if let problem = StateDirectory.create(directory) { throw Failure(description: "\(path): \(problem)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(description: "\(path): not a regular file")
        }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw Failure(description: "\(path): " + (written < 0 ? String(cString: strerror(errno)) : "short write (\(written) of \(line.count) bytes)"))
        }
        guard fdatasync(fd) == 0 else { throw Failure(description: "\(path): flush: \(String(cString: strerror(errno)))") }
    }

    /// Every entry, oldest first; lines that do not parse are reported with their number, not dropped silently.
    public func read() throws -> (entries: [AuditEntry], badLines: [Int]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot read")
        }
        var entries: [AuditEntry] = []
        var bad: [Int] = []
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            if let entry = try? decoder.decode(AuditEntry.self, from: Data(line)) { entries.append(entry) } else { bad.append(index + 1) }
        }
        return (entries, bad)
    }
}
