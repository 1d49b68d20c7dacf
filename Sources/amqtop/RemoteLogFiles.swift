import AMQTopCore
import AMQTopProbes
import AMQTopRemote
import ArgumentParser
import Foundation

/// The `HOST:PATH` arguments of `amqtop history import`: read through the hosts' SSH sessions.
///
/// A fetched file is put in a private temporary file (mode 0600) so the same reader as for
/// local files handles it, gzip included, and removed at once.
struct RemoteLogFiles {
    let pool: HostPool
    let reader: RemoteFileReader
    let hosts: Set<String>

    /// The sessions for `files`' hosts; nil when every file is local (a `HOST:` that names no
    /// configured host is a local path with a colon).
    static func open(_ files: [String], config: AppConfig?) async throws -> RemoteLogFiles? {
        let hosts = Set(config?.hosts.map(\.name) ?? [])
        guard let config, files.contains(where: { BrokerFileLoader.remoteHost($0).map(hosts.contains) ?? false }) else { return nil }
        let pool: HostPool
        do {
            pool = try HostPool(config: config)
        } catch {
            StandardError.line("amqtop: history import: \(error)")
            throw ExitCode(ExitCodes.unknown)
        }
        await pool.connectAll(timeoutMillis: max(config.timeoutMillis, 10_000))
        return RemoteLogFiles(pool: pool, reader: RemoteFileReader(pool: pool), hosts: hosts)
    }

    /// The text of `file` when it is `HOST:PATH` of a configured host; nil for a local file.
    func text(of file: String, reader local: BrokerLogFileReader) async throws -> String? {
        guard let host = BrokerFileLoader.remoteHost(file), hosts.contains(host) else { return nil }
        let path = String(file.dropFirst(host.count + 1))
        let data = try await reader.read(host: host, path: path)
        var template = Array((NSTemporaryDirectory() + "/amqtop-import-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else {
            throw RemoteFileReader.Failure(file: file, reason: "cannot make a temporary file: \(String(cString: strerror(errno)))")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(temporary) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.close()
        do {
            return try local.read(temporary)
        } catch let failure as BrokerLogFileReader.Failure {
            throw RemoteFileReader.Failure(file: file, reason: failure.reason)
        }
    }

    func close() async { await pool.close() }
}
