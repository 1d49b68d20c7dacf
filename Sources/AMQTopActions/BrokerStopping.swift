import AMQTopCore

/// Anything that can send one broker its configured stop and say what happened.
///
/// The seam `StopAndAudit` stops through: `StopExecutor` stops brokers on this host,
/// AMQTopRemote's `RemoteStopper` stops brokers on their own hosts, and `StopRouter` picks
/// between them by the broker's `host:`.
public protocol BrokerStopping: Sendable {
    /// Stops `broker`; never throws: every failure is an outcome to show and audit.
    func stop(_ broker: BrokerConfig) async -> StopOutcome
}

extension StopExecutor: BrokerStopping {}
