import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener of `amqtop serve`: `/metrics`, `/healthz` and `/status.json`.
///
/// Runs on its own NIO event loop, apart from the probes, so no scraper can take the
/// poller's threads. Each connection is bounded: NIO's parser caps the header size, bodies
/// are discarded, and a connection idle past `idleTimeout` is closed.
public final class MetricsHTTPServer: Sendable {
    /// A connection that sends nothing for this long is closed (a scraper that connects and waits).
    public static let idleTimeout: TimeAmount = .seconds(10)

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
    }

    /// The bound port (useful when listening on port 0).
    public var port: Int? { channel.localAddress?.port }

    /// Binds `host:port` and serves `state` until `close()`.
    public static func start(host: String, port: Int, state: ServeState) async throws -> MetricsHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 128)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(state: state))
                    }
                }
                .bind(host: host, port: port)
                .get()
            return MetricsHTTPServer(group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening and ends the event loop.
    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
