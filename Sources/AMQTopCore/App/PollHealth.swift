/// Whether poll rounds complete on time, for the header's LATE / FAILING mark.
public enum PollHealth: Equatable, Sendable {
    /// No round has completed yet since start.
    case waiting
    /// The last round completed within the expected time.
    case onTime
    /// No round for longer than a poll interval plus a request timeout (and some slack).
    case late(byMillis: Int64)
    /// No round for several intervals, or the poller reported that it cannot poll.
    case failing(String)

    /// The header's mark; nil when all is well.
    public var mark: String? {
        switch self {
        case .waiting: "WAITING"
        case .onTime: nil
        case .late: "LATE"
        case .failing: "FAILING"
        }
    }
}
