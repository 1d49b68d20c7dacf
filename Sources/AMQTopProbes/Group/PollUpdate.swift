import AMQTopCore

/// One piece of news from the `Poller`, small enough to apply to the dashboard's state at once.
public enum PollUpdate: Equatable, Sendable {
    /// A fresh look at a group's lock file.
    case lock(group: String, LockFileSnapshot)
    /// A fresh poll of one broker (Jolokia, port and process together).
    case broker(group: String, BrokerObservation)
    /// A broker's poll was not started because its previous one is still running.
    case brokerSkipped(group: String, broker: String)
    /// Every broker poll started by one round has finished (or was skipped).
    case roundComplete(atMillis: Int64)

    /// The group a lock or broker update is about; nil for round marks.
    public var groupName: String? {
        switch self {
        case .lock(let group, _), .broker(let group, _): group
        case .brokerSkipped, .roundComplete: nil
        }
    }
}
