/// One input for the failover history, as the dashboard hands it over in a burst.
///
/// The history-bound effects of the reducer (`Effect.recordObservation`, `Effect.noteStop`),
/// stamped by the runner. A burst of them goes to the history as one job and is written in
/// one transaction; their order is kept, so a stop is noted before the takeover it causes.
public enum HistoryEntry: Equatable, Sendable {
    /// A fresh look at a group with the verdict it led to, stamped when it was handed on.
    case observe(GroupObservation, GroupAssessment, nowMillis: Int64)
    /// amqtop sent `broker` a stop at `atMillis`: the next takeover in `group` was caused by it.
    case noteStop(group: String, broker: String, atMillis: Int64)

    /// The group this entry is about.
    public var group: String {
        switch self {
        case .observe(let observation, _, _): observation.name
        case .noteStop(let group, _, _): group
        }
    }
}
