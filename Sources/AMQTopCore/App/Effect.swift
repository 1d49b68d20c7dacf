/// Something the reducer asks the outside world to do; the runner does it.
///
/// Effects are data so a test can assert "this keystroke asks for a poll" or "this
/// observation goes to the history" without any I/O. Not `Hashable`: observations and
/// verdicts are compared, never put in sets.
public enum Effect: Equatable, Sendable {
    /// Start a poll round now instead of waiting for the next one.
    case pollNow
    /// Restore the terminal and exit with status 0.
    case quit
    /// Stop one broker by its configured method, then write its audit line (the operator
    /// confirmed by typing its name). The outcome comes back as `AppEvent.stopFinished`.
    ///
    /// The audit line is part of the stop, not an effect of its own: it must be written for
    /// every stop sent, even when the dashboard quits before the outcome is reduced.
    case stopBroker(group: String, broker: String)
    /// Clear the terminal and send the whole frame again (Ctrl-L).
    case repaintAll
    /// Record a fresh look at a group, with the verdict it led to, in the failover history.
    ///
    /// The runner stamps it with the clock when it hands it on, as the history always did.
    case recordObservation(GroupObservation, GroupAssessment)
    /// Tell the history that amqtop sent `broker` a stop at `atMillis`, so the next takeover
    /// in the group is recorded as caused by it.
    case noteStop(group: String, broker: String, atMillis: Int64)
}
