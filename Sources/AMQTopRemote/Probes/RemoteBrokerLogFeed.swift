import AMQTopCore
import AMQTopProbes
import Foundation

/// Every `brokerLog:` of a configuration: local brokers' followed here (`BrokerLogTails`), those
/// of brokers with a `host:` followed on their host through its SSH session (``RemoteLogTail``).
///
/// `newLines(group:)` is asked on each observation of a group and must not wait on a host: a
/// remote log's lines are those its last refresh brought, and asking starts the next refresh in
/// its own task (one at a time per log), so a slow or dead host delays its lines, never a round.
/// A log's lines thus come one observation after they reached the host's file, well before the
/// takeover they explain is over (the new master waits a keep-alive period before it starts).
public final class RemoteBrokerLogFeed: BrokerLogFeed, @unchecked Sendable {
    /// One remote broker's log: its tail and the lines its refreshes brought, not yet handed out.
    private final class Followed: @unchecked Sendable {
        let broker: String
        let tail: RemoteLogTail
        // Guarded by the feed's `lock` (hence @unchecked); `broker` and `tail` never change.
        var lines: [String] = []
        var refreshing = false
        var refreshes = 0

        init(broker: String, tail: RemoteLogTail) {
            self.broker = broker
            self.tail = tail
        }
    }

    /// The most lines held for a log between two asks (older ones are dropped first).
    public static let maxHeldLines = 10_000

    private let local: BrokerLogTails
    private let remote: [String: [Followed]]
    // Guards every `Followed`'s lines and refreshing flag; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()

    /// Follows the logs of `config`'s brokers; those with a `host:` through `pool`'s connections.
    public init(config: AppConfig, pool: HostPool, timeoutMillis: Int64, chunkBytes: Int = 256 << 10) {
        local = BrokerLogTails(config: config)
        var remote: [String: [Followed]] = [:]
        for group in config.groups {
            for broker in group.brokers {
                guard let host = broker.host, let path = broker.brokerLog, let connection = pool.connection(host) else { continue }
                let tail = RemoteLogTail(host: host, path: path, connection: connection, timeoutMillis: timeoutMillis, chunkBytes: chunkBytes)
                remote[group.name, default: []].append(Followed(broker: broker.name, tail: tail))
            }
        }
        self.remote = remote
    }

    /// True when no broker has a `brokerLog:`, here or on a host.
    public var isEmpty: Bool { local.isEmpty && remote.isEmpty }

    /// How many refreshes of `broker`'s remote log have ended (for tests: the first one found the end).
    func refreshesDone(broker: String) -> Int {
        lock.withLock { remote.values.joined().first { $0.broker == broker }?.refreshes ?? 0 }
    }

    public func newLines(group: String) -> [BrokerLogLines] {
        var batches = local.newLines(group: group)
        for followed in remote[group] ?? [] {
            let (lines, start): ([String], Bool) = lock.withLock {
                defer { followed.lines.removeAll() }
                let start = !followed.refreshing
                followed.refreshing = true
                return (followed.lines, start)
            }
            if start { refresh(followed) }
            batches.append(BrokerLogLines(broker: followed.broker, lines: lines))
        }
        return batches
    }

    /// Runs one refresh of `followed` in its own task; its lines wait for the next ask.
    private func refresh(_ followed: Followed) {
        Task { [weak self] in
            let lines = await followed.tail.refresh()
            guard let self else { return }
            self.lock.withLock {
                followed.lines += lines
                if followed.lines.count > Self.maxHeldLines { followed.lines.removeFirst(followed.lines.count - Self.maxHeldLines) }
                followed.refreshing = false
                followed.refreshes += 1
            }
        }
    }
}
