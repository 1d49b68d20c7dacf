import AMQTopCore
import Foundation

/// The brokers an `activemq.xml` on a broker host defines, read through the host's SSH session.
///
/// The XML and the sidecar files beside it (``BrokerFileLoader/sidecarNames``, when there) are
/// read by ``RemoteFileReader`` (read-only, bounded, only the quoted path on the command line)
/// and parsed by the same ``BrokerFileLoader`` as a local file, so `amqtop init HOST:PATH` and
/// the live `brokerXml:` of a broker with a `host:` see a file the same way.
public struct RemoteBrokerXml: Sendable {
    public let reader: RemoteFileReader

    public init(reader: RemoteFileReader) {
        self.reader = reader
    }

    /// Larger than any real broker configuration by far (as for a local file).
    public static let limitBytes = BrokerFileLoader.maximumBytes

    /// The brokers of `path` on `host`, named `argument` in messages (`HOST:PATH` by default).
    public func load(host: String, path: String, argument: String? = nil, loader: BrokerFileLoader = BrokerFileLoader()) async throws -> [BrokerDefinition] {
        let bytes = try await reader.read(host: host, path: path)
        var sidecars: [String: Data] = [:]
        for name in BrokerFileLoader.sidecarNames {
            do {
                sidecars[name] = try await reader.read(host: host, path: PathText.join(PathText.parent(of: path), name))
            } catch let failure as RemoteFileReader.Failure where failure.missing {
                continue
            }
        }
        return try loader.load(argument: argument ?? "\(host):\(path)", path: path, host: host, bytes: bytes, sidecars: sidecars)
    }
}
