/// The inferred role of one broker, with the evidence that led to it.
public struct BrokerVerdict: Equatable, Sendable {
    public var name: String
    public var role: Role
    /// Short phrases naming each signal, e.g. "Slave=false", "OpenWire open", "holds lock (pid 4242)".
    public var evidence: [String]
    /// True when this broker's pid is the lock holder's pid.
    public var holdsLock: Bool

    public init(name: String, role: Role, evidence: [String], holdsLock: Bool = false) {
        self.name = name
        self.role = role
        self.evidence = evidence
        self.holdsLock = holdsLock
    }
}
