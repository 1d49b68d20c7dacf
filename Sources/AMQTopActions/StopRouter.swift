import AMQTopCore

/// Sends each stop where its broker runs: brokers with a `host:` to the stopper for other
/// hosts, the others to this host's `StopExecutor`.
///
/// A signal or a command run here for a broker on another host would hit a pid (or a
/// script) of this machine, so a broker with a host and no remote stopper is refused, never
/// stopped locally.
public struct StopRouter: BrokerStopping {
    public let local: any BrokerStopping
    public let remote: (any BrokerStopping)?

    public init(local: any BrokerStopping, remote: (any BrokerStopping)?) {
        self.local = local
        self.remote = remote
    }

    public func stop(_ broker: BrokerConfig) async -> StopOutcome {
        guard let host = broker.host else { return await local.stop(broker) }
        guard let remote else { return .refused("\(broker.name) runs on \(host) and no SSH connection to it is configured") }
        return await remote.stop(broker)
    }
}
