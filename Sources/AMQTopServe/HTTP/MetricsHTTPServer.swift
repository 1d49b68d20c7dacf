import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP listener of `amqtop serve`: `/metrics`, `/healthz` and `/status.json`.
///
/// Runs on its own NIO event loop, apart from the probes, so no scraper can take the
/// poller's threads. Each connection is bounded: NIO's parser caps the header size, bodies
/// are discarded, and a connection idle past `idleTimeout` is closed. With a web config it
/// speaks TLS and asks for basic auth; `update(web:)` swaps both for new connections.
public final class MetricsHTTPServer: Sendable {
    /// A connection that sends nothing for this long is closed (a scraper that connects and waits).
    public static let idleTimeout: TimeAmount = .seconds(10)

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let web: NIOLockedValueBox<WebSettings>
    private let checks: CredentialCheckQueue

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, web: NIOLockedValueBox<WebSettings>, checks: CredentialCheckQueue) {
        self.group = group
        self.channel = channel
        self.web = web
        self.checks = checks
    }

    /// The bound port (useful when listening on port 0).
    public var port: Int? { channel.localAddress?.port }

    /// Binds `host:port` and serves `state` until `close()`, with TLS and basic auth as `web` says.
    public static func start(host: String, port: Int, state: ServeState, web: WebSettings = .plain) async throws -> MetricsHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let settings = NIOLockedValueBox(web)
        let checks = CredentialCheckQueue()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 128)
                .childChannelInitializer { channel in
                    // Each connection takes the settings in force when it was accepted.
                    let web = settings.withLockedValue { $0 }
                    return channel.eventLoop.makeCompletedFuture {
                        // The idle timer comes first, so a client that stalls the TLS handshake is closed too.
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        if let tls = web.tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                        }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(state: state, authenticator: web.authenticator, checks: checks))
                    }
                }
                .bind(host: host, port: port)
                .get()
            return MetricsHTTPServer(group: group, channel: channel, web: settings, checks: checks)
        } catch {
            try? await group.shutdownGracefully()
            await checks.shutdown()
            throw error
        }
    }

    /// Takes new TLS and auth settings (a SIGHUP's re-read web config) for the connections accepted from now on.
    public func update(web settings: WebSettings) {
        web.withLockedValue { $0 = settings }
    }

    /// Stops listening and ends the event loop.
    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
        await checks.shutdown()
    }
}
