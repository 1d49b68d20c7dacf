import AMQTopCore

/// What the terminal thread reports: keys, size changes, and signals that mean "leave now".
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived; the terminal is already being restored.
    case signal(Int32)
}
