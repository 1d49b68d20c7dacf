import NIOCore
import NIOPosix

/// The master's OpenWire port: a plain TCP listener that accepts and closes, enough for a
/// TCP connect probe to see "this broker serves clients".
final class OpenWireListener: Sendable {
    private let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    /// Binds `host:port`; each accepted connection is counted, then closed.
    static func start(group: EventLoopGroup, host: String, port: Int, state: LabBrokerState) async throws
        -> OpenWireListener
    {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                state.connectionsChanged(by: 1)
                return channel.close().always { _ in state.connectionsChanged(by: -1) }
            }
            .bind(host: host, port: port)
            .get()
        return OpenWireListener(channel: channel)
    }

    /// Stops listening.
    func close() async {
        try? await channel.close()
    }
}
