import AMQTopProbes

/// Something that polls the configuration and yields what it sees.
///
/// The `Poller` is one (see its adapter); the loop knows it only through this, so the
/// poller's own clock and probe seams can change without touching the loop.
public protocol ProbeUpdateSource: Sendable {
    /// The results as probes finish, in bursts (one array per element, in the order they
    /// finished), so a consumer does per burst what it would do per result; finishes when
    /// the source is stopped.
    var updates: AsyncStream<[PollUpdate]> { get }
    /// Starts polling on the configured cadences.
    func start() async
    /// Starts a round of everything now (the `r` key).
    func pollNow() async
    /// Stops polling and finishes `updates`.
    func stop() async
}
