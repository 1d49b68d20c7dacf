/// What the history holds about one group for a tenure timeline: its tenures, failovers
/// and split-brain episodes, each oldest first.
///
/// Read from the history file by `amqtop history --timeline` and by the dashboard's
/// history feed; built by hand in tests.
public struct TimelineHistory: Equatable, Sendable {
    public var tenures: [Tenure]
    public var failovers: [FailoverEvent]
    public var splitBrains: [SplitBrainEpisode]

    public init(tenures: [Tenure] = [], failovers: [FailoverEvent] = [], splitBrains: [SplitBrainEpisode] = []) {
        self.tenures = tenures
        self.failovers = failovers
        self.splitBrains = splitBrains
    }

    /// True when there is nothing at all to draw.
    public var isEmpty: Bool { tenures.isEmpty && failovers.isEmpty && splitBrains.isEmpty }
}
