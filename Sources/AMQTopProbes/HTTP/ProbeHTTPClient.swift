import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The one pooled HTTP client all Jolokia probes share; its owner starts it and shuts it down.
///
/// Connections to each broker are kept alive between polls, so a poll costs one request,
/// not a TCP (and TLS) handshake. Create one per process, pass it to `JolokiaProbe`, and
/// call `shutdown()` before exiting.
public final class ProbeHTTPClient: Sendable {
    /// The underlying async-http-client instance.
    public let client: HTTPClient
    /// The event loops it runs on, shared with the TCP port probe.
    public let eventLoopGroup: any EventLoopGroup

    /// Creates the client; `connectTimeoutMillis` bounds connection setup (the per-request deadline bounds the rest).
    public init(connectTimeoutMillis: Int64, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(max(1, connectTimeoutMillis)))
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        // A refused connection must be reported at once: by default the pool would retry
        // until the deadline, turning every silent slave into a timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Jetty closes idle connections after 30 s; close ours first to avoid sending a poll
        // into a connection the server is just closing.
        configuration.connectionPool.idleTimeout = .seconds(20)
        self.eventLoopGroup = eventLoopGroup
        self.client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
    }

    /// Closes all pooled connections; the client cannot be used afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }
}
