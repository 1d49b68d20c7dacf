import AMQTopCore

/// The `brokerLog:` files of a configuration's local brokers, each followed by a ``BrokerLogTail``.
///
/// A broker with a `host:` has its log on that host: `RemoteBrokerLogFeed` (AMQTopRemote) follows
/// it through the host's SSH session, and these local tails beside it.
public final class BrokerLogTails: BrokerLogFeed, @unchecked Sendable {
    private let tails: [String: [(broker: String, tail: BrokerLogTail)]]

    public init(config: AppConfig) {
        var tails: [String: [(String, BrokerLogTail)]] = [:]
        for group in config.groups {
            for broker in group.brokers where broker.host == nil {
                guard let path = broker.brokerLog else { continue }
                tails[group.name, default: []].append((broker.name, BrokerLogTail(path: path)))
            }
        }
        self.tails = tails
    }

    /// True when no broker has a local `brokerLog:`.
    public var isEmpty: Bool { tails.isEmpty }

    public func newLines(group: String) -> [BrokerLogLines] {
        (tails[group] ?? []).map { BrokerLogLines(broker: $0.broker, lines: $0.tail.read()) }
    }
}
