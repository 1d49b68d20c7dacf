import AMQTopCore
import Foundation

/// The one stop path: take the group's action lock, write the intent to the audit log, send
/// the stop by the broker's configured method, then write its outcome.
///
/// `amqtop drill` and the dashboard's stop both go through here, so a stop is audited the
/// same way, stamped by the same injected clock, whichever started it and wherever the
/// broker runs (the stopper decides that: see `StopRouter`).
///
/// It fails closed: a stop whose intent line cannot be written is not sent (an action that
/// cannot be audited is not taken), and a stop on a group another amqtop is acting on is
/// refused. Both come back as a `refused` outcome naming why.
public struct StopAndAudit: Sendable {
    /// How a stop gets the right to act on its group.
    public enum GroupLocking: Sendable {
        /// Take the group's `GroupActionLock` in `directory` for each stop (the dashboard).
        case perStop(directory: String)
        /// The caller holds this lock for its whole action (a drill, from before it looks at the group until its verdict).
        case held(GroupActionLock)
    }

    private let stopper: any BrokerStopping
    private let audit: AuditLog
    private let clock: any AppClock
    private let locking: GroupLocking

    /// `locking` defaults to a lock per stop in `locks/` beside the audit log (the state directory for the commands).
    public init(stopper: any BrokerStopping, audit: AuditLog, clock: any AppClock, locking: GroupLocking? = nil) {
        self.stopper = stopper
        self.audit = audit
        self.clock = clock
        self.locking = locking ?? .perStop(directory: (audit.path as NSString).deletingLastPathComponent + "/locks")
    }

    /// Stops through `executor` only: brokers on this host.
    public init(executor: StopExecutor, audit: AuditLog, clock: any AppClock, locking: GroupLocking? = nil) {
        self.init(stopper: executor, audit: audit, clock: clock, locking: locking)
    }

    /// Stops `broker` of `group` and audits the attempt; never throws: every failure is in the report.
    public func stop(group: String, broker: BrokerConfig) async -> StopReport {
        var lease: GroupActionLock?
        switch locking {
        case .held(let lock):
            guard lock.group == group else {
                return StopReport(outcome: .refused("this action holds the lock of group \(lock.group), not \(group)"), sentAtMillis: clock.nowMillis())
            }
        case .perStop(let directory):
            do {
                lease = try GroupActionLock.acquire(group: group, directory: directory)
            } catch {
                return StopReport(outcome: .refused("\(error)"), sentAtMillis: clock.nowMillis())
            }
        }
        defer { lease?.release() }
        do {
            try audit.append(.intent(group: group, broker: broker, atMillis: clock.nowMillis()))
        } catch {
            return StopReport(outcome: .refused("the audit log cannot be written, so nothing was sent (\(error))"), sentAtMillis: clock.nowMillis())
        }
        let sentAt = clock.nowMillis()
        let outcome = await stopper.stop(broker)
        do {
            try audit.append(.stop(group: group, broker: broker, outcome: outcome, atMillis: sentAt))
            return StopReport(outcome: outcome, sentAtMillis: sentAt)
        } catch {
            // The intent line is there; the stop is out, so only its outcome line is missing.
            return StopReport(outcome: outcome, sentAtMillis: sentAt, auditProblem: "\(error)")
        }
    }
}
