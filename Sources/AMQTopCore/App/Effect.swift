/// Something the reducer asks the outside world to do; the runner does it.
///
/// Effects are data so a test can assert "this keystroke asks for a poll" without any I/O.
public enum Effect: Equatable, Hashable, Sendable {
    /// Start a poll round now instead of waiting for the next one.
    case pollNow
    /// Restore the terminal and exit with status 0.
    case quit
    /// Stop one broker by its configured method (the operator confirmed by typing its name).
    case stopBroker(group: String, broker: String)
    /// Clear the terminal and send the whole frame again (Ctrl-L).
    case repaintAll
}
