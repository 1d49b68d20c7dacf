/// One broker host's SSH connection as the dashboard shows it: state, error, round trip.
///
/// A plain value of AMQTopCore so the reducer and the screen need nothing of the SSH layer;
/// AMQTopRemote's `HostConnection.Status` is mapped onto it.
public struct HostLink: Equatable, Sendable, Hashable {
    /// The configured host name (what brokers refer to with `host:`).
    public var name: String
    /// The ssh destination as configured.
    public var destination: String
    /// A stable state code: connecting, connected, authFailed, hostKeyChanged, hostKeyUnknown, unreachable, timedOut, failed, closed.
    public var state: String
    /// ssh's own words for a failed state; text from outside, shown only through the screen's buffer.
    public var error: String?
    public var roundTripMillis: Int64?

    public init(name: String, destination: String, state: String, error: String? = nil, roundTripMillis: Int64? = nil) {
        self.name = name
        self.destination = destination
        self.state = state
        self.error = error
        self.roundTripMillis = roundTripMillis
    }

    /// The state in words for the hosts panel.
    public var stateLabel: String {
        switch state {
        case "authFailed": "auth failed"
        case "hostKeyChanged": "host key mismatch"
        case "hostKeyUnknown": "host key unknown"
        case "timedOut": "timed out"
        default: state
        }
    }

    /// True while the host answers.
    public var isConnected: Bool { state == "connected" }

    /// The link with its round trip cleared: two samples that differ only there need no urgent redraw.
    public var withoutMeasurements: HostLink {
        var copy = self
        copy.roundTripMillis = nil
        return copy
    }
}
