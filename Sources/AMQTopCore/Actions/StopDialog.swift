/// The stop dialog's state: the plan, what the operator typed, and where the stop is.
///
/// The operator must type the broker's name before Enter sends anything, like k9s's
/// confirmation that demands a word: a stray Enter must never stop a master.
public struct StopDialog: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        /// Waiting for the name to be typed and Enter.
        case confirming
        /// Sent to the runner; waiting for the outcome.
        case sending
        /// The outcome arrived; any key closes the dialog.
        case finished(StopOutcome)
    }

    public var plan: StopPlan
    public var typed: String
    public var phase: Phase
    /// A hint shown when Enter was pressed with the wrong name.
    public var hint: String?

    public init(plan: StopPlan) {
        self.plan = plan
        self.typed = ""
        self.phase = .confirming
        self.hint = nil
    }

    /// True when what was typed is exactly the broker's name.
    public var isConfirmed: Bool { typed == plan.broker }
}
