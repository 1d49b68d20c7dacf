/// The new lines of a group's brokers' logs since the last call: what a `brokerLog:` tail reads.
///
/// The history recorder asks on each observation of the group; the I/O behind it (files
/// followed across rotation) lives in AMQTopProbes, so the recorder is tested with a fake.
public protocol BrokerLogFeed: Sendable {
    /// Each broker of `group` with a log, and its complete lines written since the last call (maybe none).
    func newLines(group: String) -> [BrokerLogLines]
}

/// One broker's new log lines.
public struct BrokerLogLines: Equatable, Sendable {
    /// The broker's name in amqtop.yaml.
    public var broker: String
    public var lines: [String]

    public init(broker: String, lines: [String]) {
        self.broker = broker
        self.lines = lines
    }
}
