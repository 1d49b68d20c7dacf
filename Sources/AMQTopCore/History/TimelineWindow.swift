/// The span a tenure timeline covers, back from now: the last hour, day or week.
public enum TimelineWindow: String, Equatable, Hashable, Sendable, CaseIterable {
    case hour = "1h"
    case day = "1d"
    case week = "1w"

    /// The window's length in milliseconds.
    public var millis: Int64 {
        switch self {
        case .hour: 3_600_000
        case .day: 86_400_000
        case .week: 604_800_000
        }
    }

    /// How screens and text name it: "last hour".
    public var label: String {
        switch self {
        case .hour: "last hour"
        case .day: "last day"
        case .week: "last week"
        }
    }

    /// The next longer window, wrapping from a week back to an hour (the key that cycles them).
    public var next: TimelineWindow {
        switch self {
        case .hour: .day
        case .day: .week
        case .week: .hour
        }
    }

    /// `1h`, `1d`, `1w` (also `hour`, `day`, `week`, `24h`, `7d`); nil for anything else.
    public static func parse(_ text: String) -> TimelineWindow? {
        switch text.lowercased() {
        case "1h", "h", "hour", "60m": .hour
        case "1d", "d", "day", "24h": .day
        case "1w", "w", "week", "7d": .week
        default: nil
        }
    }
}
