import AMQTopCore
import Foundation

/// Every configured host's connection, plus the private directory of its Jolokia forwards.
///
/// Jolokia is reached through the host's own connection: ssh forwards a unix socket here
/// (`-L DIR/N.sock:ADDRESS:PORT`, in a 0700 directory so no other local user can use it) to
/// the address as the host sees it, usually its 127.0.0.1. The HTTP request and its basic-auth
/// header travel inside the SSH channel, so a password is never on any command line.
public final class HostPool: Sendable {
    public let connections: [String: HostConnection]
    /// `HostPool.key(host:url:)` → the local socket forwarded to that Jolokia URL's address on that host.
    public let forwards: [String: SSHCommandLine.Forward]
    /// Where the forward sockets live (created 0700, removed by `close()`); empty when nothing is forwarded.
    public let socketDirectory: String
    private let order: [String]

    /// Builds (without connecting) one connection per host of `config`.
    public init(config: AppConfig, sshExecutable: String = "/usr/bin/ssh") throws {
        // A write to a session whose ssh just died must fail with EPIPE, not kill amqtop.
        signal(SIGPIPE, SIG_IGN)
        // The private directory only when some broker's endpoint is forwarded (no hosts: nothing made).
        let forwarded = config.groups.contains { group in group.brokers.contains { $0.host != nil && $0.jolokia != nil } }
        if forwarded {
            let base = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base + "/amqtop-ssh-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
                throw HostPoolError(message: "cannot create a private directory in \(base): \(String(cString: strerror(errno)))")
            }
            socketDirectory = String(cString: made)
        } else {
            socketDirectory = ""
        }
        var forwards: [String: SSHCommandLine.Forward] = [:]
        var perHost: [String: [SSHCommandLine.Forward]] = [:]
        var counter = 0
        for group in config.groups {
            for broker in group.brokers {
                guard let host = broker.host, let text = broker.jolokia, let url = URL(string: text), let target = url.host,
                      forwards[Self.key(host: host, url: text)] == nil else { continue }
                let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
                // Short names: a unix socket path is limited to 107 bytes.
                let forward = SSHCommandLine.Forward(socketPath: "\(socketDirectory)/\(counter).sock", host: target, port: port)
                counter += 1
                forwards[Self.key(host: host, url: text)] = forward
                perHost[host, default: []].append(forward)
            }
        }
        self.forwards = forwards
        let timeoutSeconds = Int((config.timeoutMillis + 999) / 1000)
        var connections: [String: HostConnection] = [:]
        for host in config.hosts {
            let line = SSHCommandLine(
                executable: sshExecutable, destination: host.ssh, configFile: config.sshConfig,
                connectTimeoutSeconds: max(timeoutSeconds, 2), forwards: perHost[host.name] ?? [])
            connections[host.name] = HostConnection(host: host, commandLine: line)
        }
        self.connections = connections
        self.order = config.hosts.map(\.name)
    }

    /// The key of a forward: brokers on one host with one URL share it.
    public static func key(host: String, url: String) -> String { host + "\u{0}" + url }

    /// The connection of the host named `name`.
    public func connection(_ name: String) -> HostConnection? { connections[name] }

    /// Every host's status, in configuration order.
    public var statuses: [HostConnection.Status] { order.compactMap { connections[$0]?.status } }

    /// Every host's status as the dashboard's hosts panel shows it, in configuration order.
    public var links: [HostLink] {
        statuses.map { status in
            HostLink(name: status.name, destination: status.destination, state: status.state.code,
                     error: status.state.error, roundTripMillis: status.roundTripMillis)
        }
    }

    /// Opens all connections concurrently and waits for each first answer (or failure), bounded by `timeoutMillis`.
    public func connectAll(timeoutMillis: Int64) async {
        await withTaskGroup(of: Void.self) { tasks in
            for connection in connections.values {
                tasks.addTask { await connection.connect(timeoutMillis: timeoutMillis) }
            }
        }
    }

    /// Closes every connection and removes the socket directory.
    public func close() async {
        await withTaskGroup(of: Void.self) { tasks in
            for connection in connections.values { tasks.addTask { await connection.close() } }
        }
        guard !socketDirectory.isEmpty else { return }
        if let names = try? FileManager.default.contentsOfDirectory(atPath: socketDirectory) {
            for name in names where name.hasSuffix(".sock") { unlink("\(socketDirectory)/\(name)") }
        }
        rmdir(socketDirectory)
    }
}

/// The socket directory could not be made.
public struct HostPoolError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
