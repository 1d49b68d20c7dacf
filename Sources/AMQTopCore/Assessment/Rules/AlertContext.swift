/// Everything an alert rule may look at: the group's configuration, observation, each
/// broker's evidence and verdict, and what the assessor already concluded.
public struct AlertContext: Sendable {
    public var group: GroupConfig
    public var observation: GroupObservation
    /// One per configured broker, in configuration order.
    public var evidence: [BrokerEvidence]
    /// One per configured broker, in configuration order.
    public var verdicts: [BrokerVerdict]
    /// The brokers whose role is master.
    public var masters: [String]
    /// The lock holder as a configured broker name.
    public var lockHolderBroker: String?
    public var nowMillis: Int64

    public init(
        group: GroupConfig, observation: GroupObservation, evidence: [BrokerEvidence], verdicts: [BrokerVerdict],
        masters: [String], lockHolderBroker: String?, nowMillis: Int64
    ) {
        self.group = group
        self.observation = observation
        self.evidence = evidence
        self.verdicts = verdicts
        self.masters = masters
        self.lockHolderBroker = lockHolderBroker
        self.nowMillis = nowMillis
    }

    /// The lock file as last read.
    public var lock: LockFileSnapshot? { observation.lock }

    /// The evidence of the broker with this name.
    public func evidence(of name: String) -> BrokerEvidence? { evidence.first { $0.name == name } }

    /// "a and b", "a, b and c".
    static func joined(_ names: [String]) -> String { EnglishText.list(names) }
}
