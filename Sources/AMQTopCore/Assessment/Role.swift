/// A broker's role in its group as inferred from the evidence.
public enum Role: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    /// Holds the lock and serves clients.
    case master
    /// Waiting for the lock.
    case slave
    /// Not running.
    case down
    /// The evidence does not say (e.g. a stock slave: silent endpoint, no pid file).
    case unknown

    /// A symbol that tells the role without colour: `*` master, `+` slave, `x` down, `?` unknown.
    public var symbol: String {
        switch self {
        case .master: "*"
        case .slave: "+"
        case .down: "x"
        case .unknown: "?"
        }
    }
}
