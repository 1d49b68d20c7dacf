import AMQTopCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The long-lived HTTP/1.1 connections to one endpoint, reused poll after poll.
///
/// A poll costs one write and one read on a connection that is already open: no pool
/// machinery, no header encoding, no per-request task. A broker has its own endpoint, so it
/// normally has exactly one connection; brokers that share a URL get one each as their polls
/// overlap. A connection runs one request at a time (never pipelined, so answers cannot be
/// mixed), goes back to the idle ones after a complete keep-alive answer, and is closed on
/// any failure, on `Connection: close`, or after `idleLimit` unused. Every request has its
/// deadline on the event loop, covering the connect, the TLS handshake and the whole answer.
///
/// All mutable state is touched on `eventLoop` only, which is what makes it `Sendable`.
public final class EndpointConnections: @unchecked Sendable {
    public let endpoint: HTTPEndpoint
    let eventLoop: any EventLoop
    private let connectTimeoutMillis: Int64

    /// Open connections with no request on them, the most recently used last.
    private var idle: [HTTPExchangeHandler] = []
    private var sslContext: NIOSSLContext?

    /// A connection idle this long is closed rather than reused: Jetty closes idle ones after
    /// 30 s, and a poll written into a connection the server is just closing would be lost.
    static let idleLimit = TimeAmount.seconds(20)
    /// More idle connections than this to one endpoint are closed, not kept.
    static let maxIdle = 512

    init(endpoint: HTTPEndpoint, eventLoop: any EventLoop, connectTimeoutMillis: Int64) {
        self.endpoint = endpoint
        self.eventLoop = eventLoop
        self.connectTimeoutMillis = max(1, connectTimeoutMillis)
    }

    /// Sends `request` and waits for its answer, within `deadline`.
    ///
    /// `keep: false` uses a connection of its own for this request (closed afterwards): for a
    /// stop, whose connection breaking must mean the broker got it, never that an idle
    /// connection had just been closed. A poll that finds its kept connection closed before
    /// any answer began is sent once more on a fresh one.
    public func send(
        _ request: JolokiaHTTPRequest, deadline: NIODeadline, timeoutMillis: Int64, maxBodyBytes: Int, keep: Bool = true
    ) async -> Result<HTTPAnswer, EndpointError> {
        let bytes = request.bytes
        let future: EventLoopFuture<HTTPAnswer>
        if eventLoop.inEventLoop {
            future = start(bytes, deadline: deadline, timeoutMillis: timeoutMillis, maxBodyBytes: maxBodyBytes, keep: keep)
        } else {
            future = eventLoop.flatSubmit {
                self.start(bytes, deadline: deadline, timeoutMillis: timeoutMillis, maxBodyBytes: maxBodyBytes, keep: keep)
            }
        }
        do {
            return .success(try await future.get())
        } catch let failure as ExchangeFailure {
            return .failure(failure.error)
        } catch {
            return .failure(TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis))
        }
    }

    /// Closes the idle connections (at shutdown); a later request opens a new one.
    func close() -> EventLoopFuture<Void> {
        eventLoop.submit {
            for handler in self.idle { handler.close() }
            self.idle.removeAll()
        }
    }

    /// How many connections are idle now (for tests).
    func idleCount() -> EventLoopFuture<Int> {
        eventLoop.submit { self.idle.count }
    }

    // MARK: - On the event loop

    private func start(
        _ bytes: ByteBuffer, deadline: NIODeadline, timeoutMillis: Int64, maxBodyBytes: Int, keep: Bool
    ) -> EventLoopFuture<HTTPAnswer> {
        eventLoop.assertInEventLoop()
        let exchange = { (handler: HTTPExchangeHandler) -> EventLoopFuture<HTTPAnswer> in
            let promise = self.eventLoop.makePromise(of: HTTPAnswer.self)
            handler.start(bytes, deadline: deadline, timeoutMillis: timeoutMillis, maxBodyBytes: maxBodyBytes, promise: promise)
            let answer = promise.futureResult
            answer.assumeIsolated().whenSuccess { _ in self.release(handler, keep: keep) }
            return answer
        }
        guard keep, let reused = takeIdle() else {
            return connectAndSend(exchange, deadline: deadline, timeoutMillis: timeoutMillis)
        }
        return exchange(reused).assumeIsolated().flatMapError { error in
            // Reused and closed before an answer began: most likely closed by the server
            // while idle. Once more on a fresh connection (polls are reads).
            guard let failure = error as? ExchangeFailure, failure.beforeAnswer, Self.isBreak(failure.error) else {
                return self.eventLoop.makeFailedFuture(error)
            }
            return self.connectAndSend(exchange, deadline: deadline, timeoutMillis: timeoutMillis)
        }.nonisolated()
    }

    /// The most recently used idle connection that is still open and fresh; older ones are closed.
    private func takeIdle() -> HTTPExchangeHandler? {
        let now = NIODeadline.now()
        while let handler = idle.popLast() {
            if handler.isIdle, now - handler.idleSince < Self.idleLimit { return handler }
            handler.close()
        }
        return nil
    }

    /// After a complete answer: the connection goes back to the idle ones, or is closed.
    private func release(_ handler: HTTPExchangeHandler, keep: Bool) {
        guard keep, handler.isIdle, idle.count < Self.maxIdle else {
            handler.close()
            return
        }
        handler.idleSince = .now()
        idle.append(handler)
    }

    private func connectAndSend(
        _ exchange: @escaping (HTTPExchangeHandler) -> EventLoopFuture<HTTPAnswer>, deadline: NIODeadline, timeoutMillis: Int64
    ) -> EventLoopFuture<HTTPAnswer> {
        connect(deadline: deadline, timeoutMillis: timeoutMillis).assumeIsolated().flatMap { exchange($0) }.nonisolated()
    }

    private func connect(deadline: NIODeadline, timeoutMillis: Int64) -> EventLoopFuture<HTTPExchangeHandler> {
        let remaining = deadline - .now()
        guard remaining > .zero else {
            return eventLoop.makeFailedFuture(ExchangeFailure(error: .timeout(afterMillis: timeoutMillis), beforeAnswer: true))
        }
        let tls: NIOSSLContext?
        do { tls = try tlsContext() } catch let failure as SafeFile.Failure {
            return eventLoop.makeFailedFuture(ExchangeFailure(error: .tls("CA file \(failure)"), beforeAnswer: true))
        } catch {
            return eventLoop.makeFailedFuture(
                ExchangeFailure(error: TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis), beforeAnswer: true))
        }
        let serverHostname = endpoint.tls?.serverHostname
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(min(.milliseconds(connectTimeoutMillis), remaining))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname)) }
                    let writer = RawRequestWriter()
                    try pipeline.addHandler(writer)
                    try pipeline.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)))
                    try pipeline.addHandler(HTTPExchangeHandler(writer: writer))
                }
            }
        let connected: EventLoopFuture<any Channel>
        switch endpoint.address {
        case .tcp(let host, let port): connected = bootstrap.connect(host: host, port: port)
        case .unix(let path): connected = bootstrap.connect(unixDomainSocketPath: path)
        }
        return connected.assumeIsolated().flatMapErrorThrowing { error in
            throw ExchangeFailure(error: TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis), beforeAnswer: true)
        }.flatMapThrowing { channel in
            try channel.pipeline.syncOperations.handler(type: HTTPExchangeHandler.self)
        }.nonisolated()
    }

    /// The TLS context of this endpoint, made once (loading trust roots is costly).
    private func tlsContext() throws -> NIOSSLContext? {
        guard let settings = endpoint.tls else { return nil }
        if let sslContext { return sslContext }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if settings.insecure { configuration.certificateVerification = .none }
        if let caFile = settings.caFile {
            // Read through SafeFile, never by NIOSSL's own open: a FIFO swapped in after the
            // config check must not block the event loop, and a bad file is named.
            let pem = try CAFileCheck.pem(atPath: caFile)
            do {
                configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMBytes(pem))]
            } catch {
                throw SafeFile.Failure(path: caFile, reason: .other("no usable PEM certificate in it"))
            }
        }
        let made = try NIOSSLContext(configuration: configuration)
        sslContext = made
        return made
    }

    private static func isBreak(_ error: EndpointError) -> Bool {
        switch ConnectionBreak(error) {
        case .closedByPeer?, .resetByPeer?: true
        default: false
        }
    }
}
