import AMQTopCore

/// Checks a broker's process through its pid file: whether the process it names is alive.
///
/// `PidProbe` reads the file and signals the pid on this host, which is only right for a
/// broker running here (another host's pid means nothing in this pid namespace); an
/// implementation for a broker on another host does both there.
public protocol ProcessChecking: Sendable {
    /// The broker's process as its pid file names it; nil when no pid file is configured.
    func check(_ broker: BrokerConfig) async -> ProcessObservation?
}
