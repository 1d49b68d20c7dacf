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

    /// The longest line read as an entry: a real one is a few hundred bytes, and a longer
    /// line is reported as bad without ever being held whole in memory.
    public static let maxLineBytes = 65_536

    /// Every entry, oldest first; lines that do not parse are reported with their number, not dropped silently.
    ///
    /// Holds every entry in memory: for tests and small logs; `amqtop audit` streams with ``forEach(_:badLine:)``.
    public func read() throws -> (entries: [AuditEntry], badLines: [Int]) {
        var entries: [AuditEntry] = []
        var bad: [Int] = []
        try forEach({ entries.append($0) }, badLine: { bad.append($0) })
        return (entries, bad)
    }

    /// Calls `body` with each entry in file order and `badLine` with the number of each line
    /// that is no entry, reading the file in chunks with memory bounded by ``maxLineBytes``
    /// (a 1 GB log is read, not loaded). A missing log has no entries; a FIFO, a device or a
    /// directory is refused with a plain message naming it (see `SafeFile`).
    public func forEach(_ body: (AuditEntry) throws -> Void, badLine: (Int) throws -> Void) throws {
        let reader: SafeFile.Reader
        do {
            reader = try SafeFile.open(path, limitBytes: nil)
        } catch {
            if error.reason == .missing { return }
            throw Failure(description: error.description)
        }
        defer { reader.close() }
        let decoder = JSONDecoder()
        var line: [UInt8] = []
        var overlong = false
        var number = 0
        func finish() throws {
            number += 1
            defer { line.removeAll(keepingCapacity: true); overlong = false }
            if line.isEmpty, !overlong { return }
            if !overlong, let entry = try? decoder.decode(AuditEntry.self, from: Data(line)) { try body(entry) } else { try badLine(number) }
        }
        do {
            while let chunk = try reader.next() {
                var start = 0
                // memchr: a 1 GB log is scanned at memory speed, not byte by byte.
                while start < chunk.count {
                    let newline = chunk.withUnsafeBufferPointer { buffer -> Int? in
                        guard let base = buffer.baseAddress, let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
                        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    }
                    let end = newline ?? chunk.count
                    if !overlong {
                        if line.count + (end - start) > Self.maxLineBytes {
                            overlong = true
                            line.removeAll(keepingCapacity: true)
                        } else {
                            line.append(contentsOf: chunk[start..<end])
                        }
                    }
                    guard let newline else { break }
                    try finish()
                    start = newline + 1
                }
            }
        } catch let error as SafeFile.Failure {
            throw Failure(description: error.description)
        }
        if !line.isEmpty || overlong { try finish() }
    }
}
