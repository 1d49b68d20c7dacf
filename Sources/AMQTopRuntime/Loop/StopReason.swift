/// Why the dashboard loop ended.
public enum StopReason: Equatable, Sendable {
    /// The operator pressed `q`.
    case quit
    /// SIGINT, SIGTERM or SIGHUP.
    case signal(Int32)
    /// The terminal went away without a signal (see `TerminalEvent.hangup`).
    case hangup
}
