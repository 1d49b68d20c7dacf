import AMQTopMetrics
import NIOCore
import NIOHTTP1

/// Answers one connection's requests from `ServeState`: GET or HEAD on three paths, behind basic auth when configured.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: ServeState
    private let authenticator: BasicAuthenticator
    private let checks: CredentialCheckQueue
    private var head: HTTPRequestHead?

    init(state: ServeState, authenticator: BasicAuthenticator, checks: CredentialCheckQueue) {
        self.state = state
        self.authenticator = authenticator
        self.checks = checks
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
        case .body:
            // No endpoint takes a body: it is read and dropped, never kept.
            break
        case .end:
            guard let request = head else { return }
            head = nil
            authenticate(request, context: context)
        }
    }

    /// Answers at once when the credentials are known good (or none are asked for); otherwise
    /// runs the bcrypt on the check queue's thread, so a wrong-password flood does not hold this
    /// event loop (the pipeline handler keeps later requests of the connection until this one ends).
    private func authenticate(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let authorization = request.headers["Authorization"].first
        if authenticator.allowsCheaply(authorization: authorization) {
            respond(to: request, context: context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        checks.check(authorization, with: authenticator, on: context.eventLoop).whenComplete { result in
            let (handler, context) = bound.value
            guard context.channel.isActive else { return }
            if (try? result.get()) == true {
                handler.respond(to: request, context: context)
            } else {
                // Nothing of the request (user, password, path) goes back or to a log.
                handler.send(.unauthorized, "text/plain; charset=utf-8", "Unauthorized\n", request: request, context: context,
                             extra: [("WWW-Authenticate", #"Basic realm="amqtop""#)])
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // An idle connection (nothing sent for a while) is closed: it must not pin resources.
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed or oversized request: drop that connection, keep serving others.
        context.close(promise: nil)
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard request.method == .GET || request.method == .HEAD else {
            send(.methodNotAllowed, "text/plain; charset=utf-8", "only GET and HEAD\n", request: request, context: context)
            return
        }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        switch path {
        case "/metrics":
            let format = ExpositionFormat.negotiate(accept: request.headers["Accept"].joined(separator: ","))
            send(.ok, format.contentType, state.metricsText(format: format), request: request, context: context)
        case "/healthz":
            let health = state.health()
            send(health.isHealthy ? .ok : .serviceUnavailable, "text/plain; charset=utf-8", health.text + "\n", request: request, context: context)
        case "/status.json":
            send(.ok, "application/json", state.statusJSON(), request: request, context: context)
        case "/":
            send(.ok, "text/html; charset=utf-8", Self.index, request: request, context: context)
        default:
            send(.notFound, "text/plain; charset=utf-8", "not found: try /metrics, /healthz or /status.json\n", request: request, context: context)
        }
    }

    private static let index = """
        <html><head><title>amqtop serve</title></head><body><h1>amqtop serve</h1>
        <p><a href="/metrics">/metrics</a> <a href="/healthz">/healthz</a> <a href="/status.json">/status.json</a></p>
        </body></html>

        """

    private func send(_ status: HTTPResponseStatus, _ contentType: String, _ text: String, request: HTTPRequestHead, context: ChannelHandlerContext,
                      extra: [(String, String)] = []) {
        var headers = HTTPHeaders(extra)
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
