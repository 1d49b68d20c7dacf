import AMQTopCore
import AMQTopRuntime

/// The history sink `serve` records through: the dashboard's own sink, plus the failover counts for `/metrics`.
///
/// Every call goes to the wrapped sink (so records and their keys are exactly the
/// dashboard's, and a takeover seen by `serve` and a dashboard is one row). After a
/// failover, and on `refresh`, the group's recorded failovers are read back from the file
/// into `ServeState`: the counters count what the history holds, whoever wrote it.
public final class LedgerHistorySink: HistorySink {
    /// The most failovers per group read back (failovers are rare; this bounds a scrape's memory).
    public static let ledgerLimit = 100_000

    private let inner: any HistorySink
    private let state: ServeState

    public init(_ inner: any HistorySink, state: ServeState) {
        self.inner = inner
        self.state = state
    }

    public func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) async -> [HistoryUpdate] {
        let updates = await inner.observe(observation, assessment: assessment, nowMillis: nowMillis)
        if updates.contains(where: { if case .failover = $0 { true } else { false } }) {
            await refresh(group: observation.name)
        }
        return updates
    }

    /// The burst through the wrapped sink in one call; the failover counts read back once per group that had a failover.
    public func record(_ entries: [HistoryEntry]) async -> [HistoryUpdate] {
        let updates = await inner.record(entries)
        var refreshed: Set<String> = []
        for case .failover(let event) in updates where refreshed.insert(event.group).inserted {
            await refresh(group: event.group)
        }
        return updates
    }

    public func noteStop(group: String, broker: String, atMillis: Int64) async {
        await inner.noteStop(group: group, broker: broker, atMillis: atMillis)
    }

    public func recentFailovers(group: String, limit: Int) async -> [FailoverEvent] {
        await inner.recentFailovers(group: group, limit: limit)
    }

    public func takeNotices() async -> [String] {
        await inner.takeNotices()
    }

    /// Reads the group's recorded failovers back into the metrics.
    public func refresh(group: String) async {
        state.setFailovers(group: group, await inner.recentFailovers(group: group, limit: Self.ledgerLimit))
    }
}
