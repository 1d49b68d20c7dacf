/// The verdict on a whole group: its status, its master, each broker's role and the alerts.
public struct GroupAssessment: Equatable, Sendable {
    public var name: String
    /// The worst alert's severity, or OK.
    public var status: Severity
    /// The single master's name; nil when there is none or more than one.
    public var master: String?
    /// Every broker that claims or shows master evidence (more than one is split brain).
    public var masters: [String]
    public var brokers: [BrokerVerdict]
    /// Ordered worst first.
    public var alerts: [Alert]
    /// The lock holder as a configured broker name, when the holder's pid maps to one.
    public var lockHolderBroker: String?
    public var expectedWorstCaseFailoverMillis: Int64

    public init(
        name: String, status: Severity, master: String?, masters: [String], brokers: [BrokerVerdict],
        alerts: [Alert], lockHolderBroker: String?, expectedWorstCaseFailoverMillis: Int64
    ) {
        self.name = name
        self.status = status
        self.master = master
        self.masters = masters
        self.brokers = brokers
        self.alerts = alerts
        self.lockHolderBroker = lockHolderBroker
        self.expectedWorstCaseFailoverMillis = expectedWorstCaseFailoverMillis
    }

    /// The verdict for the broker with this name.
    public func broker(named name: String) -> BrokerVerdict? { brokers.first { $0.name == name } }
}
