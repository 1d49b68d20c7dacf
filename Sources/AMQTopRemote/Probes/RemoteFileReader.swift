import AMQTopCore
import Foundation

/// Reads a file on a broker host (`HOST:PATH`) through that host's SSH session, read-only.
///
/// The file travels in base64 chunks of `chunkBytes` (`tail -c +N | head -c SIZE | base64`),
/// each well under the session's reply bound, so any byte (a gzip file) crosses the framed
/// shell unharmed; the whole is bounded by `limitBytes`. Only the quoted path is on the
/// command line: no secret is. Nothing on the host is created, written or locked.
public struct RemoteFileReader: Sendable {
    /// Why a remote file could not be read, naming `HOST:PATH`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var reason: String
        /// True when the host says there is no such file (an optional file simply absent).
        public var missing: Bool
        public var description: String { "\(file): \(reason)" }

        public init(file: String, reason: String, missing: Bool = false) {
            self.file = file
            self.reason = reason
            self.missing = missing
        }
    }

    public let pool: HostPool
    public var timeoutMillis: Int64
    public var chunkBytes: Int
    public var limitBytes: Int

    public init(pool: HostPool, timeoutMillis: Int64 = 30_000, chunkBytes: Int = 2 << 20, limitBytes: Int = 256 << 20) {
        self.pool = pool
        self.timeoutMillis = timeoutMillis
        self.chunkBytes = chunkBytes
        self.limitBytes = limitBytes
    }

    /// The script that prints one chunk from `offset` (0-based) in base64, or `notfile REASON`.
    static func chunkScript(path: String, offset: Int, size: Int) -> String? {
        guard let quoted = ShellQuote.quote(path) else { return nil }
        return """
            f=\(quoted); if [ -f "$f" ] && [ -r "$f" ]; then tail -c +\(offset + 1) -- "$f" | head -c \(size) | base64 -w 0; echo; echo ok; \
            else echo "notfile $(ls -ld -- "$f" 2>&1 | head -c 300)"; fi
            """
    }

    /// The bytes of `path` on `host`.
    public func read(host: String, path: String) async throws -> Data {
        let file = "\(host):\(path)"
        guard let connection = pool.connection(host) else {
            throw Failure(file: file, reason: "\(host) is not in the configuration's hosts: list")
        }
        var data = Data()
        while true {
            guard let script = Self.chunkScript(path: path, offset: data.count, size: chunkBytes) else {
                throw Failure(file: file, reason: "the path holds a character that cannot be quoted for the shell")
            }
            let reply: RemoteReply
            switch await connection.run(script, timeoutMillis: timeoutMillis) {
            case .success(let value): reply = value
            case .failure(let failure): throw Failure(file: file, reason: failure.message)
            }
            let lines = reply.text.split(separator: "\n", omittingEmptySubsequences: false)
            if let first = lines.first, first.hasPrefix("notfile ") {
                let detail = LogText.printable(first.dropFirst("notfile ".count))
                throw Failure(file: file, reason: "not a readable regular file (\(detail))", missing: detail.contains("No such file"))
            }
            guard lines.count >= 2, lines[1] == "ok", let chunk = Data(base64Encoded: String(lines[0])) else {
                throw Failure(file: file, reason: "unreadable answer from \(host) (status \(reply.status))")
            }
            data.append(chunk)
            guard data.count <= limitBytes else {
                throw Failure(file: file, reason: "more than \(limitBytes >> 20) MiB: import its rotated parts instead")
            }
            if chunk.count < chunkBytes { return data }
        }
    }
}
