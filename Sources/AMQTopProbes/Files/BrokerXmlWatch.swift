import AMQTopCore
import Foundation

/// Re-reads each broker's `activemq.xml` (`brokerXml:`) on a slow cadence, for drift alerts.
///
/// A broker's configuration changes rarely and only takes effect on its restart, so a file
/// is read at start and then at most once per `cadenceMillis`; between reads the last
/// reading is handed out again. Read-only: a local file through ``BrokerFileLoader`` (a
/// regular file of bounded size), a broker with a `host:` through `remote` (its host's SSH
/// session). A remote read runs in its own task: a round waits for it at most `waitMillis`
/// and otherwise goes on with the last reading, so a slow or dead host never holds a round.
public final class BrokerXmlWatch: @unchecked Sendable {
    /// Reads the brokers defined in `path` on `host` (the XML and its sidecars), or throws why not.
    public typealias RemoteLoad = @Sendable (_ host: String, _ path: String) async throws -> [BrokerDefinition]

    /// How often a file is read again.
    public let cadenceMillis: Int64
    /// How long a round waits for a remote read before going on without it.
    public let waitMillis: Int64
    private let remote: RemoteLoad?
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var readings: [String: BrokerFileReading] = [:]
    private var pending: [String: Task<BrokerFileReading, Never>] = [:]

    public init(cadenceMillis: Int64 = 60_000, waitMillis: Int64 = 2_000, remote: RemoteLoad? = nil) {
        self.cadenceMillis = cadenceMillis
        self.waitMillis = waitMillis
        self.remote = remote
    }

    /// The broker's last reading, read again first when it is older than the cadence; nil without `brokerXml:`.
    public func reading(for broker: BrokerConfig, nowMillis: Int64 = TimeFormat.nowMillis()) async -> BrokerFileReading? {
        guard let path = broker.brokerXml else { return nil }
        let key = "\(broker.host ?? "")\u{0}\(broker.name)\u{0}\(path)"
        let (last, running) = lock.withLock { (readings[key], pending[key]) }
        if let last, running == nil, nowMillis - last.atMillis < cadenceMillis, nowMillis >= last.atMillis {
            return last
        }
        guard let host = broker.host else {
            let fresh = Self.read(path, for: broker, nowMillis: nowMillis)
            lock.withLock { readings[key] = fresh }
            return fresh
        }
        let task = running ?? start(key: key, host: host, path: path, broker: broker, nowMillis: nowMillis)
        let wait = waitMillis
        // The read goes on in its task when the wait ends first; the next round finds its result.
        // Not a task group: a group waits for its children, and the read's task ignores cancellation.
        let finished: BrokerFileReading? = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(1, wait)) * 1_000_000)
                once.resume(nil)
            }
            Task {
                once.resume(await task.value)
                timer.cancel()
            }
        }
        if let finished { return finished }
        return last ?? BrokerFileReading(
            file: "\(host):\(path)", atMillis: nowMillis, problem: "\(host):\(path): no answer from \(host) within \(wait) ms (still trying)")
    }

    /// Starts the remote read of `key` once; its result becomes the broker's reading.
    private func start(key: String, host: String, path: String, broker: BrokerConfig, nowMillis: Int64) -> Task<BrokerFileReading, Never> {
        lock.withLock {
            if let running = pending[key] { return running }
            let remote = self.remote
            let file = "\(host):\(path)"
            let task = Task { [weak self] () -> BrokerFileReading in
                let fresh: BrokerFileReading
                if let remote {
                    do {
                        fresh = Self.reading(try await remote(host, path), file: file, named: file, for: broker, nowMillis: nowMillis)
                    } catch {
                        fresh = BrokerFileReading(file: file, atMillis: nowMillis, problem: "\(error)")
                    }
                } else {
                    fresh = BrokerFileReading(file: file, atMillis: nowMillis, problem: "\(file): this command has no SSH session to \(host) to read it")
                }
                self?.lock.withLock {
                    self?.readings[key] = fresh
                    self?.pending[key] = nil
                }
                return fresh
            }
            pending[key] = task
            return task
        }
    }

    static func read(_ path: String, for broker: BrokerConfig, nowMillis: Int64) -> BrokerFileReading {
        do {
            return reading(try BrokerFileLoader().load(argument: path), file: path, named: path, for: broker, nowMillis: nowMillis)
        } catch {
            return BrokerFileReading(file: path, atMillis: nowMillis, problem: "\(error)")
        }
    }

    /// The reading of `broker` among the brokers a file defines (`named` as its messages name it).
    static func reading(_ definitions: [BrokerDefinition], file: String, named: String, for broker: BrokerConfig, nowMillis: Int64) -> BrokerFileReading {
        guard let definition = BrokerFileReading.pick(definitions, for: broker) else {
            let names = definitions.map(\.brokerName).joined(separator: ", ")
            return BrokerFileReading(file: file, atMillis: nowMillis, problem: "\(named): no <broker> named \(broker.mbeanBrokerName ?? broker.name) (it defines \(names.isEmpty ? "none" : names))")
        }
        return BrokerFileReading(file: file, atMillis: nowMillis, definition: definition)
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
private final class ResumeOnce: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<BrokerFileReading?, Never>?

    init(_ continuation: CheckedContinuation<BrokerFileReading?, Never>) {
        self.continuation = continuation
    }

    func resume(_ value: BrokerFileReading?) {
        let pending: CheckedContinuation<BrokerFileReading?, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: value)
    }
}
