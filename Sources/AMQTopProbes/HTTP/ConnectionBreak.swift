import AMQTopCore

/// How an open connection ended before its answer was complete, as `TransportErrorClassifier` reports it.
///
/// A typed reading of `EndpointError.connection`: the classifier writes each of these with
/// its `detail`, and `init?(_:)` reads it back, so a caller (the stop executor deciding
/// whether a stop reached the broker) switches on a case instead of matching an error's
/// wording that lives in another file.
public enum ConnectionBreak: CaseIterable, Equatable, Sendable {
    /// The server closed the connection before the body it announced was complete.
    case closedMidAnswer
    /// The peer reset the connection (ECONNRESET).
    case resetByPeer
    /// The peer closed the connection (EOF, EPIPE, a closed channel).
    case closedByPeer

    /// The text inside `EndpointError.connection`, shown on screen and in `--json`.
    public var detail: String {
        switch self {
        case .closedMidAnswer: "closed by the broker before the answer was complete"
        case .resetByPeer: "reset by the peer"
        case .closedByPeer: "closed by the peer"
        }
    }

    /// The error as this connection break; nil for every other error (refused, DNS, timeout, ...).
    public init?(_ error: EndpointError) {
        guard case .connection(let detail) = error,
              let found = Self.allCases.first(where: { $0.detail == detail }) else { return nil }
        self = found
    }

    /// The classified error for this break.
    public var error: EndpointError { .connection(detail) }
}
