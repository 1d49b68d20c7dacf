/// Everything that can happen to the dashboard: keys, probe results, time, size.
///
/// Keys and observations go through the same reducer, so the screen never depends on
/// which came first.
public enum AppEvent: Equatable, Sendable {
    case key(Key)
    /// A fresh read of a group's lock file.
    case lockSnapshot(group: String, LockFileSnapshot)
    /// A fresh poll of one broker (endpoint, port, process).
    case brokerObservation(group: String, BrokerObservation)
    /// Every broker of every group answered or timed out in this round.
    case roundComplete(atMillis: Int64)
    /// The poller cannot poll at all (e.g. it failed to start); shown as FAILING.
    case pollerFailed(String)
    /// The clock moved: lock ages and lateness are recomputed.
    case tick(nowMillis: Int64)
    /// A stop that `Effect.stopBroker` asked for has an outcome; `sentAtMillis` is when it went out.
    case stopFinished(group: String, broker: String, outcome: StopOutcome, sentAtMillis: Int64)
    /// The history has the group's last failovers (newest first), after a record or at start.
    case failovers(group: String, [FailoverEvent])
    /// The history's tenures, failovers and split brains of the group's last week, for its timeline.
    case timeline(group: String, TimelineHistory)
    /// Something the operator should read in the status line (e.g. the history file was set aside).
    case notice(String)
    /// The broker hosts' SSH connections as they stand now (sampled by the loop; sent when they change).
    case hosts([HostLink])
    /// The terminal changed size.
    case resize(width: Int, height: Int)
}
