/// How bad things are, ordered, with the Nagios plugin exit code of each.
public enum Severity: Int, Comparable, Equatable, Sendable, Hashable, CaseIterable, Codable {
    case ok = 0
    case warning = 1
    case critical = 2
    case unknown = 3

    /// The order an operator cares about: critical above unknown above warning above ok.
    private var rank: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .unknown: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// The word printed in tables and status lines: OK, WARNING, CRITICAL, UNKNOWN.
    public var word: String {
        switch self {
        case .ok: "OK"
        case .warning: "WARNING"
        case .critical: "CRITICAL"
        case .unknown: "UNKNOWN"
        }
    }

    /// The Nagios plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    public var exitCode: Int32 { Int32(rawValue) }
}
