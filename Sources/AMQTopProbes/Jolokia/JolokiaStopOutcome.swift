import AMQTopCore

/// What a Jolokia `exec stop` achieved.
public enum JolokiaStopOutcome: Equatable, Sendable {
    /// Jolokia answered status 200: the broker is stopping (its JVM exits shortly).
    case accepted
    /// The request failed; the broker may still be running.
    ///
    /// A `.connection` error can also mean the JVM exited before the answer was sent,
    /// so callers should confirm with the next poll rather than report a failure outright.
    case failed(EndpointError)
}
