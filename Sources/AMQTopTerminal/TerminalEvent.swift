import AMQTopCore

/// What the terminal thread reports: keys, size changes, and signals or a hangup that mean "leave now".
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived; the terminal is already being restored.
    case signal(Int32)
    /// The terminal is gone (its pty was closed: reads end in EOF/EIO), whether or not a
    /// SIGHUP came with it; the curses thread has stopped.
    case hangup
}
