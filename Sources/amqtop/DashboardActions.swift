import AMQTopActions
import AMQTopCore

/// What the dashboard's stop effect needs: the executor, the audit log and the history.
struct DashboardActions: Sendable {
    var executor: StopExecutor
    var audit: AuditLog
    var history: HistoryFeed

    /// Stops the broker, audits the attempt, notes it for the history, and returns the outcome with when it was sent.
    func stop(group: String, broker: BrokerConfig) async -> (StopOutcome, Int64) {
        let sentAt = DashboardCommand.nowMillis()
        let outcome = await executor.stop(broker)
        if outcome.wasSent {
            // The next takeover in this group is then recorded as caused by this stop.
            history.send(.noteStop(group: group, broker: broker.name, atMillis: sentAt))
        }
        do {
            try audit.append(.stop(group: group, broker: broker, outcome: outcome, atMillis: sentAt))
            return (outcome, sentAt)
        } catch {
            // The stop happened either way: show its outcome, and that the audit line is missing.
            return (outcome.noting("audit log not written: \(error)"), sentAt)
        }
    }
}
