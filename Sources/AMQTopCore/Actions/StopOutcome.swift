/// What happened when amqtop asked a broker to stop: sent, refused, or failed.
public enum StopOutcome: Equatable, Sendable, Hashable {
    /// The request went out and was accepted (Jolokia answered, the signal was delivered, the command exited 0).
    case sent(String)
    /// amqtop would not send it (read-only, no pid file, no such process), with why.
    case refused(String)
    /// It was sent but did not work (endpoint error, command exit status), with the error.
    case failed(String)

    /// `sent`, `refused` or `failed`: the word shown and kept in the audit log.
    public var word: String {
        switch self {
        case .sent: "sent"
        case .refused: "refused"
        case .failed: "failed"
        }
    }

    /// The detail after the word.
    public var detail: String {
        switch self {
        case .sent(let text), .refused(let text), .failed(let text): text
        }
    }

    /// The same outcome with a note appended to its detail.
    public func noting(_ note: String) -> StopOutcome {
        switch self {
        case .sent(let text): .sent("\(text); \(note)")
        case .refused(let text): .refused("\(text); \(note)")
        case .failed(let text): .failed("\(text); \(note)")
        }
    }

    /// True when the stop went out, so a drill timeline starts.
    public var wasSent: Bool {
        if case .sent = self { return true }
        return false
    }

    /// True when amqtop would not send it: nothing reached the broker.
    public var wasRefused: Bool {
        if case .refused = self { return true }
        return false
    }
}
