/// One column of a tenure timeline strip: what the group's lock was doing in that slice of time.
///
/// A slice holds many seconds, so one column can hold a tenure, a failover and a gap at
/// once. The column shows the one that matters most (split brain, then a failover, then a
/// gap without master, then the master that held longest), so a five-second gap in a week
/// is still one visible column.
public enum TimelineColumn: Equatable, Hashable, Sendable {
    /// Nobody watched: no tenure or record covers this slice.
    case notWatched
    /// This broker held the lock (its index in the timeline's broker list).
    case master(Int)
    /// The lock was held by nobody that serves: a gap without master.
    case noMaster
    /// A change of master happened in this slice, for this cause.
    case failover(FailoverCause)
    /// More than one broker served as master.
    case splitBrain

    /// The character that stands for the column in text: a broker's letter, or a mark.
    ///
    /// Broker letters are capitals; marks are lower case or punctuation, so the two never clash.
    public func character(letters: [String]) -> String {
        switch self {
        case .notWatched: "."
        case .master(let index): letters.indices.contains(index) ? letters[index] : "*"
        case .noMaster: "_"
        case .failover(let cause): Self.mark(cause)
        case .splitBrain: "#"
        }
    }

    /// The mark of a failover by cause: `x` crash, `s` stop, `l` lock lost, `d` shut down cleanly, `?` unknown.
    public static func mark(_ cause: FailoverCause) -> String {
        switch cause {
        case .crash: "x"
        case .stop: "s"
        case .lockLost: "l"
        case .shutdown: "d"
        case .unknown: "?"
        }
    }

    /// The legend of the marks, in the order they rank.
    public static let markLegend: [(mark: String, meaning: String)] = [
        ("#", "split brain"), ("x", "crash"), ("s", "stop"), ("l", "lock lost"), ("d", "shut down"), ("?", "cause unknown"), ("_", "no master"), (".", "not watched"),
    ]
}
