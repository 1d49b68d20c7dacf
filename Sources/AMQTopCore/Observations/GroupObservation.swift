/// The latest observations of one group: its lock file and each of its brokers.
public struct GroupObservation: Equatable, Sendable {
    public var name: String
    public var lock: LockFileSnapshot?
    /// One entry per configured broker, in configuration order.
    public var brokers: [BrokerObservation]

    public init(name: String, lock: LockFileSnapshot? = nil, brokers: [BrokerObservation] = []) {
        self.name = name
        self.lock = lock
        self.brokers = brokers
    }

    /// The observation of the broker with this name, if configured.
    public func broker(named name: String) -> BrokerObservation? {
        brokers.first { $0.name == name }
    }
}
