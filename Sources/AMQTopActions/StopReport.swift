import AMQTopCore

/// What one stop-then-audit came to: the outcome, when the stop went out, and whether its audit line is missing.
public struct StopReport: Equatable, Sendable {
    /// What the stop itself achieved.
    public var outcome: StopOutcome
    /// When the stop was sent (the drill's and the history's "stop sent" instant).
    public var sentAtMillis: Int64
    /// Why the audit line could not be written; nil when it was.
    public var auditProblem: String?

    public init(outcome: StopOutcome, sentAtMillis: Int64, auditProblem: String? = nil) {
        self.outcome = outcome
        self.sentAtMillis = sentAtMillis
        self.auditProblem = auditProblem
    }

    /// The outcome to show: the stop happened either way, so a missing audit line is a note on it.
    public var shownOutcome: StopOutcome {
        auditProblem.map { outcome.noting("audit log not written: \($0)") } ?? outcome
    }
}
