import AMQTopCore
import Foundation

/// Re-reads each broker's `activemq.xml` (`brokerXml:`) on a slow cadence, for drift alerts.
///
/// A broker's configuration changes rarely and only takes effect on its restart, so a file
/// is read at start and then at most once per `cadenceMillis`; between reads the last
/// reading is handed out again. Read-only (``BrokerFileLoader``: a regular file of bounded
/// size). Only brokers on this host: one with a `host:` has its file there.
public final class BrokerXmlWatch: @unchecked Sendable {
    /// How often a file is read again.
    public let cadenceMillis: Int64
    private let lock = NSLock()
    private var readings: [String: BrokerFileReading] = [:]

    public init(cadenceMillis: Int64 = 60_000) {
        self.cadenceMillis = cadenceMillis
    }

    /// The broker's last reading, read again first when it is older than the cadence; nil without `brokerXml:`.
    public func reading(for broker: BrokerConfig, nowMillis: Int64 = TimeFormat.nowMillis()) -> BrokerFileReading? {
        guard let path = broker.brokerXml, broker.host == nil else { return nil }
        let key = "\(broker.name)\u{0}\(path)"
        if let last = lock.withLock({ readings[key] }), nowMillis - last.atMillis < cadenceMillis, nowMillis >= last.atMillis {
            return last
        }
        let fresh = Self.read(path, for: broker, nowMillis: nowMillis)
        lock.withLock { readings[key] = fresh }
        return fresh
    }

    static func read(_ path: String, for broker: BrokerConfig, nowMillis: Int64) -> BrokerFileReading {
        do {
            let definitions = try BrokerFileLoader().load(argument: path)
            guard let definition = BrokerFileReading.pick(definitions, for: broker) else {
                let names = definitions.map(\.brokerName).joined(separator: ", ")
                return BrokerFileReading(file: path, atMillis: nowMillis, problem: "\(path): no <broker> named \(broker.mbeanBrokerName ?? broker.name) (it defines \(names.isEmpty ? "none" : names))")
            }
            return BrokerFileReading(file: path, atMillis: nowMillis, definition: definition)
        } catch {
            return BrokerFileReading(file: path, atMillis: nowMillis, problem: "\(error)")
        }
    }
}
