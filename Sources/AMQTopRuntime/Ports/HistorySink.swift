import AMQTopCore

/// Where the dashboard's and the drill's observations go to become failover history.
///
/// The GRDB `HistoryRecorder` is one (its writes run on a thread of their own); a test
/// passes a fake that runs a real `FailoverDetector` and keeps what it found.
public protocol HistorySink: Sendable {
    /// Runs one observation through the group's detector, stores what changed, and returns it.
    func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) async -> [HistoryUpdate]
    /// Notes that amqtop sent `broker` a stop: the next takeover in `group` was caused by it.
    func noteStop(group: String, broker: String, atMillis: Int64) async
    /// Runs a burst of observations and stop notes in order, stores what changed (in one
    /// transaction, for a sink that has them), and returns it, in order.
    ///
    /// The dashboard's feed hands each burst of results over this way, one call per burst.
    func record(_ entries: [HistoryEntry]) async -> [HistoryUpdate]
    /// The group's last `limit` failovers, newest first.
    func recentFailovers(group: String, limit: Int) async -> [FailoverEvent]
    /// Messages for the operator since the last call (a file set aside, history off).
    func takeNotices() async -> [String]
    /// The group's tenures, failovers and split brains from `sinceMillis` on, for its tenure timeline.
    func timelineHistory(group: String, sinceMillis: Int64) async -> TimelineHistory
}

extension HistorySink {
    /// One entry at a time, in order: for sinks without a write of their own for a burst (a test's fake).
    public func record(_ entries: [HistoryEntry]) async -> [HistoryUpdate] { await recordOneByOne(entries) }

    /// The burst through `observe` and `noteStop`, one entry at a time, in order.
    public func recordOneByOne(_ entries: [HistoryEntry]) async -> [HistoryUpdate] {
        var updates: [HistoryUpdate] = []
        for entry in entries {
            switch entry {
            case .observe(let observation, let assessment, let now):
                updates += await observe(observation, assessment: assessment, nowMillis: now)
            case .noteStop(let group, let broker, let at):
                await noteStop(group: group, broker: broker, atMillis: at)
            }
        }
        return updates
    }

    /// No timeline: for sinks that record but never draw (a test's fake, `serve`'s ledger).
    public func timelineHistory(group: String, sinceMillis: Int64) async -> TimelineHistory { TimelineHistory() }
}
