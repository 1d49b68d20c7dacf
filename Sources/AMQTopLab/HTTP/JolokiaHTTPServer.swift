import NIOCore
import NIOHTTP1
import NIOPosix

/// The Jolokia-compatible HTTP listener of one lab broker.
final class JolokiaHTTPServer: Sendable {
    private let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    /// Binds `host:port` and serves until closed; `onAction` runs after an answer that asks for one.
    static func start(
        group: EventLoopGroup,
        state: LabBrokerState,
        onAction: @escaping @Sendable (JolokiaResponder.Action) -> Void
    ) async throws -> JolokiaHTTPServer {
        let configuration = state.configuration
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        JolokiaHTTPHandler(state: state, onAction: onAction))
                }
            }
            .bind(host: configuration.host, port: configuration.jolokiaPort)
            .get()
        return JolokiaHTTPServer(channel: channel)
    }

    /// Stops listening.
    func close() async {
        try? await channel.close()
    }
}
