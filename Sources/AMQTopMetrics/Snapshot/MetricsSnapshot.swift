import AMQTopCore

/// Everything one scrape shows: the dashboard state, the recorded failovers and the probe counts.
public struct MetricsSnapshot: Sendable {
    /// The state as the shared reducer left it (observations, verdicts, last round).
    public var state: AppState
    /// Every recorded failover per group (from the history file), any order.
    public var failovers: [String: [FailoverEvent]]
    public var probes: ProbeStatistics
    /// The name this host goes by in `host` labels when the lock holder is local.
    public var localHost: String

    public init(state: AppState, failovers: [String: [FailoverEvent]], probes: ProbeStatistics, localHost: String) {
        self.state = state
        self.failovers = failovers
        self.probes = probes
        self.localHost = localHost
    }
}
