/// Where one host's SSH connection stands, as shown in the hosts panel and `status --json`.
public enum HostState: Equatable, Sendable, Hashable {
    /// The ssh process is starting and has not yet answered the first request.
    case connecting
    /// The remote shell answers.
    case connected
    /// The server refused every key or method (`Permission denied`).
    case authFailed(String)
    /// The host's key differs from the one in known_hosts: refused, possibly an attack.
    case hostKeyChanged(String)
    /// No key for the host in known_hosts, and the ssh config does not allow accepting one.
    case hostKeyUnknown(String)
    /// Connection refused, no route, name not resolved: nothing to talk to.
    case unreachable(String)
    /// No answer in time: connecting, or a request on an open connection.
    case timedOut(String)
    /// Any other failure, with ssh's own words.
    case failed(String)
    /// Closed by amqtop (status is done, or the dashboard quits).
    case closed

    /// A stable code for JSON output.
    public var code: String {
        switch self {
        case .connecting: "connecting"
        case .connected: "connected"
        case .authFailed: "authFailed"
        case .hostKeyChanged: "hostKeyChanged"
        case .hostKeyUnknown: "hostKeyUnknown"
        case .unreachable: "unreachable"
        case .timedOut: "timedOut"
        case .failed: "failed"
        case .closed: "closed"
        }
    }

    /// The error text for a failed state; nil while connecting, connected or closed.
    public var error: String? {
        switch self {
        case .connecting, .connected, .closed: nil
        case .authFailed(let text), .hostKeyChanged(let text), .hostKeyUnknown(let text), .unreachable(let text),
             .timedOut(let text), .failed(let text): text
        }
    }

    /// True for failures a retry cannot fix without the operator (keys): retried slowly.
    public var needsOperator: Bool {
        switch self {
        case .authFailed, .hostKeyChanged, .hostKeyUnknown: true
        default: false
        }
    }
}
