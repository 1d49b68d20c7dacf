import AMQTopCore

/// Tries a broker's transport (OpenWire) port: only the master listens on it.
///
/// `PortProbe` connects from this host; an implementation for a broker on another host
/// connects from there, to the address as that host sees it.
public protocol PortChecking: Sendable {
    /// One connect attempt to the broker's transport port; nil when none is configured.
    func check(_ broker: BrokerConfig) async -> PortObservation?
}
