import AMQTopCore
import AMQTopProbes
import Foundation

/// Follows one broker's log on its host like `tail -F`, through the host's SSH session.
///
/// The remote twin of `BrokerLogTail`: it starts at the file's end (what was written before is
/// `amqtop history import`'s job) and each `refresh()` returns the complete lines written since.
/// One request a refresh: the host prints the file's inode and size and, from the offset read
/// so far, at most `chunkBytes` in base64 (any byte crosses the framed shell unharmed). A new
/// inode at the path is a rotation: the rest of the old file is read from `PATH.1` when that is
/// the old inode (log4j's rolling appender renames), then the new file from its start; a file
/// shorter than the offset was truncated in place and is read from its start. Read-only (`stat`,
/// `tail -c`, `head -c`): nothing on the host is created, written or locked; only the quoted path
/// is on the command line. A missing or unreadable file is waited for, silently.
///
/// Not reentrant: one `refresh()` at a time (``RemoteBrokerLogFeed`` runs them one by one).
public final class RemoteLogTail: @unchecked Sendable {
    /// What the host said about the file, parsed from one refresh's answer.
    enum Answer: Equatable {
        /// No readable regular file at the path.
        case missing
        /// The file's inode and size; the rest of the rotated file (`old`), and the bytes read
        /// from `offset` of the current one (`data`, nil on a first look, which only asks where the end is).
        case file(inode: UInt64, size: Int64, old: Data?, offset: Int64?, data: Data?)
    }

    /// Where the tail is: not yet looked, following a file, or reading the next file from its start.
    enum Position: Equatable {
        case firstLook
        case following(inode: UInt64, offset: Int64)
        case fromStart
    }

    public let host: String
    public let path: String
    /// The most one refresh reads from each of the old and the current file.
    public let chunkBytes: Int
    private let connection: HostConnection
    private let timeoutMillis: Int64
    // Mutated only by refresh(), which never runs twice at once (see the type's note).
    private var position = Position.firstLook
    private var splitter: LogLineSplitter

    public init(host: String, path: String, connection: HostConnection, timeoutMillis: Int64, chunkBytes: Int = 256 << 10) {
        self.host = host
        self.path = path
        self.connection = connection
        self.timeoutMillis = timeoutMillis
        self.chunkBytes = chunkBytes
        splitter = LogLineSplitter(limitBytes: chunkBytes)
    }

    /// The complete lines written since the last refresh (without line ends); none when the host does not answer.
    public func refresh() async -> [String] {
        guard let script = Self.script(path: path, position: position, chunkBytes: chunkBytes) else { return [] }
        guard case .success(let reply) = await connection.run(script, timeoutMillis: timeoutMillis),
              let answer = Self.parse(reply.text) else { return [] }
        return take(answer)
    }

    /// The script of one refresh from `position` (nil when the path cannot be quoted).
    static func script(path: String, position: Position, chunkBytes: Int) -> String? {
        guard let quoted = ShellQuote.quote(path) else { return nil }
        // i: empty on a first look (stat only), `-` to read whatever file is there from its start.
        let (inode, offset): (String, Int64) = switch position {
        case .firstLook: ("", 0)
        case .fromStart: ("-", 0)
        case .following(let inode, let offset): ("\(inode)", offset)
        }
        return """
            f=\(quoted); i='\(inode)'; o=\(offset); n=\(max(1, chunkBytes)); \
            if [ -f "$f" ] && [ -r "$f" ] && s=$(stat -L -c '%i %s' -- "$f" 2>/dev/null); then echo "stat $s"; \
            if [ -n "$i" ]; then set -- $s; \
            if [ "$i" = - ]; then o=0; \
            elif [ "$1" != "$i" ]; then \
            if [ "$(stat -L -c '%i' -- "$f.1" 2>/dev/null)" = "$i" ]; then printf 'old '; tail -c +$((o + 1)) -- "$f.1" | head -c $n | base64 -w 0; echo; fi; o=0; \
            elif [ "$2" -lt "$o" ]; then o=0; fi; \
            printf 'data %s ' "$o"; tail -c +$((o + 1)) -- "$f" | head -c $n | base64 -w 0; echo; fi; \
            else echo missing; fi
            """
    }

    /// The host's answer, or nil when it is not one (the session's output is not trusted).
    static func parse(_ text: String) -> Answer? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first else { return nil }
        if first == "missing" { return .missing }
        let stat = first.split(separator: " ")
        guard stat.count == 3, stat[0] == "stat", let inode = UInt64(stat[1]), let size = Int64(stat[2]), size >= 0 else { return nil }
        var old: Data?
        var offset: Int64?
        var data: Data?
        for line in lines.dropFirst() where !line.isEmpty {
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            switch words.first {
            case "old":
                guard words.count == 2, let bytes = Data(base64Encoded: String(words[1])) else { return nil }
                old = bytes
            case "data":
                guard words.count == 3, let at = Int64(words[1]), at >= 0, let bytes = Data(base64Encoded: String(words[2])) else { return nil }
                offset = at
                data = bytes
            default:
                return nil
            }
        }
        return .file(inode: inode, size: size, old: old, offset: offset, data: data)
    }

    /// Moves the tail by `answer`; the complete lines it brought.
    func take(_ answer: Answer) -> [String] {
        switch (position, answer) {
        case (.firstLook, .missing):
            // A log that appears later is news from its first line.
            position = .fromStart
            return []
        case (_, .missing):
            // Gone for now (mid-rotation): the old inode is kept, so its rest is found in PATH.1.
            return []
        case (.firstLook, .file(let inode, let size, _, _, _)):
            position = .following(inode: inode, offset: size)
            return []
        case (_, .file(let inode, _, let old, let offset, let data)):
            guard let offset, let data else { return [] }
            var found: [String] = []
            if let old { found += splitter.take(old) }
            if case .following(let known, let was) = position, offset != was {
                if known == inode {
                    // Truncated in place (copytruncate): what is there now was written after.
                    splitter.drop()
                } else if let last = splitter.finish() {
                    // Rotated: the old file's unfinished last line ends with it.
                    found.append(last)
                }
            }
            found += splitter.take(data)
            position = .following(inode: inode, offset: offset + Int64(data.count))
            return found
        }
    }
}
