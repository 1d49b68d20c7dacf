/// A new or changed history record, as the detector reports it for storing.
///
/// The same record can come back several times as phases are observed (a failover first
/// without its new master, then with it); a store upserts by the record's key.
public enum HistoryUpdate: Equatable, Sendable {
    case failover(FailoverEvent)
    case tenure(Tenure)
    case splitBrain(SplitBrainEpisode)

    /// The group the record belongs to.
    public var group: String {
        switch self {
        case .failover(let event): event.group
        case .tenure(let tenure): tenure.group
        case .splitBrain(let episode): episode.group
        }
    }
}
