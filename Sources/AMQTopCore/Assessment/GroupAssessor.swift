/// Judges a whole group from its latest observations: roles, master, alerts, status.
///
/// Pure: the same observations and clock give the same verdict, so every rule is tested
/// as a table of observations in and verdicts out.
public enum GroupAssessor {
    /// Assesses one group as of `nowMillis`.
    public static func assess(group: GroupConfig, observation: GroupObservation, nowMillis: Int64) -> GroupAssessment {
        let lock = observation.lock
        let acquiredAt = lock?.acquiredAtMillis
        // A master claim seen before the lock's latest acquisition is not trusted on its own:
        // the lock changed hands after it. Clock skew between the broker's host and ours only
        // matters for the first moments after a takeover, until the next poll.
        let evidence = group.brokers.map { broker in
            BrokerEvidence(name: broker.name, observation: observation.broker(named: broker.name), lock: lock, staleBeforeMillis: acquiredAt)
        }
        let verdicts = evidence.map(RoleInference.verdict)
        let masters = verdicts.filter { $0.role == .master }.map(\.name)
        let holderBroker = lockHolderBroker(group: group, observation: observation, lock: lock)
        let alerts = AlertRules.alerts(AlertContext(
            group: group, observation: observation, evidence: evidence, verdicts: verdicts, masters: masters,
            lockHolderBroker: holderBroker, nowMillis: nowMillis))
        let status = alerts.map(\.severity).max() ?? .ok
        return GroupAssessment(
            name: group.name, status: status, master: masters.count == 1 ? masters[0] : nil, masters: masters,
            brokers: verdicts, alerts: alerts, lockHolderBroker: holderBroker,
            expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
    }

    /// The configured broker whose live pid, on the same host, is the lock holder's.
    static func lockHolderBroker(group: GroupConfig, observation: GroupObservation, lock: LockFileSnapshot?) -> String? {
        guard let lock else { return nil }
        return observation.brokers.first { lock.isHeld(byPid: $0.process?.livePid, onHost: $0.process?.host) }?.name
    }
}
