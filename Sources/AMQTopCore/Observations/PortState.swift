/// The result of a TCP connect to a broker's OpenWire (transport) port.
///
/// Only the master opens its transport connectors, so an open port is an independent
/// master signal; a closed port says nothing about whether the broker is a slave or down.
public enum PortState: Equatable, Sendable, Hashable {
    case open
    case refused
    case timeout
    case error(String)

    /// A stable code for JSON output: `open`, `refused`, `timeout`, `error`.
    public var code: String {
        switch self {
        case .open: "open"
        case .refused: "refused"
        case .timeout: "timeout"
        case .error: "error"
        }
    }

    /// True only for an accepted connection.
    public var isOpen: Bool { self == .open }
}

/// One TCP probe of a broker's OpenWire port.
public struct PortObservation: Equatable, Sendable {
    public var atMillis: Int64
    public var state: PortState
    public var latencyMillis: Int64

    public init(atMillis: Int64, state: PortState, latencyMillis: Int64 = 0) {
        self.atMillis = atMillis
        self.state = state
        self.latencyMillis = latencyMillis
    }
}
