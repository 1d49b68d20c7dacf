/// Infers each broker's role from its own signals and the lock file.
///
/// The rules are `BrokerEvidence`'s, the same ones the failover history and the drill use;
/// this turns them into the verdict the screen, `status` and the alerts show. A silent
/// endpoint alone never makes a broker `down`: stock ActiveMQ slaves serve no Jolokia at all.
public enum RoleInference {
    /// The role of one broker and the evidence for it.
    ///
    /// - Parameter staleBeforeMillis: master signals observed before this instant (the
    ///   lock's latest acquisition) are not trusted on their own: the lock changed hands
    ///   after they were seen.
    public static func verdict(
        broker: BrokerConfig, observation: BrokerObservation?, lock: LockFileSnapshot?, staleBeforeMillis: Int64? = nil
    ) -> BrokerVerdict {
        verdict(BrokerEvidence(name: broker.name, observation: observation, lock: lock, staleBeforeMillis: staleBeforeMillis))
    }

    /// The verdict that one broker's evidence gives.
    public static func verdict(_ evidence: BrokerEvidence) -> BrokerVerdict {
        BrokerVerdict(name: evidence.name, role: evidence.role, evidence: evidence.phrases, holdsLock: evidence.holdsLock != nil)
    }
}
