import AMQTopCore

/// The one stop path: send the stop by the broker's configured method, then write its audit line.
///
/// `amqtop drill` and the dashboard's stop both go through here, so a stop is audited the
/// same way, stamped by the same injected clock, whichever started it.
public struct StopAndAudit: Sendable {
    private let executor: StopExecutor
    private let audit: AuditLog
    private let clock: any AppClock

    public init(executor: StopExecutor, audit: AuditLog, clock: any AppClock) {
        self.executor = executor
        self.audit = audit
        self.clock = clock
    }

    /// Stops `broker` of `group` and audits the attempt; never throws: every failure is in the report.
    public func stop(group: String, broker: BrokerConfig) async -> StopReport {
        let sentAt = clock.nowMillis()
        let outcome = await executor.stop(broker)
        do {
            try audit.append(.stop(group: group, broker: broker, outcome: outcome, atMillis: sentAt))
            return StopReport(outcome: outcome, sentAtMillis: sentAt)
        } catch {
            return StopReport(outcome: outcome, sentAtMillis: sentAt, auditProblem: "\(error)")
        }
    }
}
