/// The steps of a failover drill, in the order they should happen.
public enum DrillPhase: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    case stopSent
    case oldMasterGone
    case lockReleased
    case lockAcquired
    case newMasterServing

    /// How the timeline names the step.
    public var label: String {
        switch self {
        case .stopSent: "stop sent"
        case .oldMasterGone: "old master gone"
        case .lockReleased: "lock released"
        case .lockAcquired: "lock acquired"
        case .newMasterServing: "new master serving"
        }
    }
}
