import AMQTopCore

/// Decides which implementation probes each broker and reads each group's lock.
///
/// The one place that knows where a broker runs: `GroupProber` and `Poller` ask it for every
/// probe, so probing brokers on other hosts (issue 11: over SSH) is a second router and
/// second implementations of the seams, with roles, alerts, history and screens unchanged.
public protocol ProbeRouting: Sendable {
    /// The probes for `broker`, a member of `group`.
    func probes(for broker: BrokerConfig, in group: GroupConfig) -> BrokerProbes
    /// The reader of `group`'s lock file and the batch it may be read in.
    func lockRoute(for group: GroupConfig) -> LockRoute
}
