import AMQTopCore

/// The one stop path: send the stop by the broker's configured method, then write its audit line.
///
/// `amqtop drill` and the dashboard's stop both go through here, so a stop is audited the
/// same way, stamped by the same injected clock, whichever started it and wherever the
/// broker runs (the stopper decides that: see `StopRouter`).
public struct StopAndAudit: Sendable {
    private let stopper: any BrokerStopping
    private let audit: AuditLog
    private let clock: any AppClock

    public init(stopper: any BrokerStopping, audit: AuditLog, clock: any AppClock) {
        self.stopper = stopper
        self.audit = audit
        self.clock = clock
    }

    /// Stops through `executor` only: brokers on this host.
    public init(executor: StopExecutor, audit: AuditLog, clock: any AppClock) {
        self.init(stopper: executor, audit: audit, clock: clock)
    }

    /// Stops `broker` of `group` and audits the attempt; never throws: every failure is in the report.
    public func stop(group: String, broker: BrokerConfig) async -> StopReport {
        let sentAt = clock.nowMillis()
        let outcome = await stopper.stop(broker)
        do {
            try audit.append(.stop(group: group, broker: broker, outcome: outcome, atMillis: sentAt))
            return StopReport(outcome: outcome, sentAtMillis: sentAt)
        } catch {
            return StopReport(outcome: outcome, sentAtMillis: sentAt, auditProblem: "\(error)")
        }
    }
}
