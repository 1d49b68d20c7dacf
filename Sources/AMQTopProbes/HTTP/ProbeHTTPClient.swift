import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The HTTP transport all Jolokia probes share: kept-alive connections per endpoint.
///
/// Connections to each broker are kept open between polls, so a poll costs one request on
/// an open connection, not a TCP (and TLS) handshake, and no per-request client machinery
/// (see `EndpointConnections`). Redirects are never followed (`HTTPAnswer.jolokiaBody`).
/// Create one per process, pass it to the probes, and call `shutdown()` before exiting.
public final class ProbeHTTPClient: Sendable {
    /// The event loops it runs on, shared with the TCP port probe.
    public let eventLoopGroup: any EventLoopGroup
    /// The loop every Jolokia connection lives on, and the one poll tasks prefer (`PollExecutor`):
    /// a few hundred polls a second are a few percent of one core, and on one loop no poll
    /// changes thread.
    public let pollLoop: any EventLoop
    /// Bounds a connection's setup (the per-request deadline bounds the rest).
    public let connectTimeoutMillis: Int64
    private let connections = NIOLockedValueBox<[HTTPEndpoint: EndpointConnections]>([:])

    /// Creates the transport; `connectTimeoutMillis` bounds connection setup.
    public init(connectTimeoutMillis: Int64, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.eventLoopGroup = eventLoopGroup
        self.pollLoop = eventLoopGroup.next()
        self.connectTimeoutMillis = connectTimeoutMillis
    }

    /// The connections to `endpoint`, made on first use and kept (on `pollLoop`).
    public func connection(to endpoint: HTTPEndpoint) -> EndpointConnections {
        connections.withLockedValue { connections in
            if let known = connections[endpoint] { return known }
            let made = EndpointConnections(endpoint: endpoint, eventLoop: pollLoop, connectTimeoutMillis: connectTimeoutMillis)
            connections[endpoint] = made
            return made
        }
    }

    /// Closes every kept connection; requests made afterwards open new ones.
    public func shutdown() async {
        let all = connections.withLockedValue { connections in
            defer { connections.removeAll() }
            return Array(connections.values)
        }
        for connection in all { try? await connection.close().get() }
    }
}
