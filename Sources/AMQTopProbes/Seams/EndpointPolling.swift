import AMQTopCore

/// Polls a broker's status endpoint (Jolokia) and sends it the stop operation.
///
/// The layers above never learn how the endpoint is reached: `JolokiaProbe` posts from
/// this host; an implementation for a broker on another host may post through a tunnel to
/// an endpoint that answers on that host's loopback only. The stop belongs here because it
/// goes to the same endpoint, with the same credentials, by the same route as the poll.
public protocol EndpointPolling: Sendable {
    /// One poll of the broker's MBean; nil when the broker has no endpoint configured.
    func poll(_ broker: BrokerConfig) async -> JolokiaObservation?
    /// Asks the broker to stop through its endpoint (an `exec` of the MBean's `stop`).
    func stop(_ broker: BrokerConfig) async -> JolokiaStopOutcome
}
