import AMQTopCore
import Foundation
import NIOConcurrencyHelpers

/// What `JolokiaProbe` keeps per configured endpoint between polls: where it connects, the
/// MBean name discovery found, and the bulk-read request ready to send.
///
/// Behind one lock, not an actor: a poll reads it twice, and an actor hop each time was a
/// visible share of a poll's cost with hundreds of brokers.
final class JolokiaProbeCache: Sendable {
    /// The settings of a broker that shape its endpoint and its request.
    struct Key: Hashable, Sendable {
        var url: String
        var insecure: Bool
        var caFile: String?
    }

    /// One endpoint's state.
    struct Entry: Sendable {
        var connection: EndpointConnections
        var target: JolokiaHTTPRequest.Target
        /// The broker MBean name a pattern read found.
        var discoveredName: String?
        /// The bulk read for `bulkName` with `bulkAuthorization`, encoded once.
        var bulk: JolokiaHTTPRequest?
        var bulkName: String?
        var bulkAuthorization: String?
    }

    private let entries = NIOLockedValueBox<[Key: Entry]>([:])
    /// Names come from the configuration and the brokers' answers; the bound is only a guard.
    private static let maxEntries = 4096

    static func key(_ broker: BrokerConfig, url: String) -> Key {
        Key(url: url, insecure: broker.insecure, caFile: broker.caFile)
    }

    /// The entry for `key`, made with `make` the first time (or the URL's error).
    func entry(_ key: Key, make: () -> Result<Entry, EndpointError>) -> Result<Entry, EndpointError> {
        entries.withLockedValue { entries in
            if let known = entries[key] { return .success(known) }
            let made = make()
            if case .success(let entry) = made {
                if entries.count >= Self.maxEntries { entries.removeAll() }
                entries[key] = entry
            }
            return made
        }
    }

    func remember(_ name: String, for key: Key) {
        entries.withLockedValue { $0[key]?.discoveredName = name }
    }

    /// Drops a name that stopped working (the broker was renamed or replaced).
    func forget(_ key: Key) {
        entries.withLockedValue { $0[key]?.discoveredName = nil }
    }

    /// The bulk-read request for MBean `name` with `authorization`, built once and reused
    /// until either changes (a password file rewritten, a name discovered anew).
    func bulkRead(_ key: Key, name: String, authorization: String?, target: JolokiaHTTPRequest.Target) -> JolokiaHTTPRequest {
        entries.withLockedValue { entries in
            if let entry = entries[key], let bulk = entry.bulk, entry.bulkName == name, entry.bulkAuthorization == authorization {
                return bulk
            }
            let made = JolokiaHTTPRequest.make(
                JolokiaRequests.bulkRead(mbean: JolokiaRequests.brokerMBean(name)), to: target, authorization: authorization)
            entries[key]?.bulk = made
            entries[key]?.bulkName = name
            entries[key]?.bulkAuthorization = authorization
            return made
        }
    }
}
