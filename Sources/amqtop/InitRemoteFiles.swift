import AMQTopCore
import AMQTopRemote
import ArgumentParser
import Foundation

/// The `HOST:PATH` arguments of `amqtop init`: each host of the configuration's `hosts:`
/// list read through its SSH session (the XML, and the jetty files beside it when there).
struct InitRemoteFiles {
    let pool: HostPool
    let reader: RemoteFileReader

    /// Sessions to the hosts `files` name; nil when every file is local. A host missing from
    /// the configuration's `hosts:` (or no configuration) is refused: amqtop only reaches hosts it was told of.
    static func open(_ files: [String], config path: String?) async throws -> InitRemoteFiles? {
        let remote = files.compactMap { file in BrokerFileLoader.remoteHost(file).map { (file, $0) } }
        guard !remote.isEmpty else { return nil }
        let loader = ConfigLoader()
        let config: AppConfig?
        do {
            config = try path.map { try loader.load(path: $0) } ?? loader.defaultPath().map { try loader.load(path: $0) }
        } catch let error as ConfigError {
            throw ExitCodes.configFailure(error)
        }
        let known = Set(config?.hosts.map(\.name) ?? [])
        if let config, remote.allSatisfy({ known.contains($0.1) }) {
            do {
                let pool = try HostPool(config: config)
                await pool.connectAll(timeoutMillis: max(config.timeoutMillis, 10_000))
                return InitRemoteFiles(pool: pool, reader: RemoteFileReader(pool: pool))
            } catch {
                throw InitCommand.failure("\(error)")
            }
        }
        let (file, host) = remote.first { !known.contains($0.1) } ?? remote[0]
        throw InitCommand.failure(
            "\(file): \(host) is in no hosts: list (give --config FILE whose hosts: names it, with its ssh destination)")
    }

    /// The brokers of `file` (`host:PATH`), with the sidecars found beside it on the host.
    func load(_ file: String, host: String, loader: BrokerFileLoader) async throws -> [BrokerDefinition] {
        try await RemoteBrokerXml(reader: reader).load(host: host, path: String(file.dropFirst(host.count + 1)), argument: file, loader: loader)
    }

    func close() async { await pool.close() }
}
