import Foundation
import NIOCore
import NIOHTTP1

/// Serves `/api/jolokia` for one broker: Basic auth, GET paths and POST bodies, answered by
/// `JolokiaResponder` from the broker's current state.
final class JolokiaHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The servlet path Jolokia is mapped to in ActiveMQ's web console.
    static let servletPath = "/api/jolokia"
    /// Bodies above this are refused: Jolokia requests are small.
    private static let maximumBodyBytes = 1 << 20

    private let state: LabBrokerState
    private let onAction: @Sendable (JolokiaResponder.Action) -> Void
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(state: LabBrokerState, onAction: @escaping @Sendable (JolokiaResponder.Action) -> Void) {
        self.state = state
        self.onAction = onAction
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > Self.maximumBodyBytes {
                bodyTooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            respond(to: requestHead, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed request or a reset connection: drop that connection, keep serving others.
        context.close(promise: nil)
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let target = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        guard target == Self.servletPath || target.hasPrefix(Self.servletPath + "/") else {
            send(status: .notFound, contentType: "text/html;charset=iso-8859-1", text: jettyPage(404, "Not Found"),
                 request: request, context: context)
            return
        }
        if let password = state.configuration.password,
            !BasicAuthorization.accepts(request.headers["Authorization"].first,
                                        username: state.configuration.username, password: password)
        {
            var extra = HTTPHeaders()
            extra.add(name: "WWW-Authenticate", value: "basic realm=\"ActiveMQRealm\"")
            send(status: .unauthorized, contentType: "text/html;charset=iso-8859-1",
                 text: jettyPage(401, "Unauthorized"), extraHeaders: extra, request: request, context: context)
            return
        }
        let responder = JolokiaResponder(
            brokers: [state.snapshot(nowMillis: LabClock.nowMillis())],
            timestampSeconds: LabClock.nowMillis() / 1000
        )
        let reply: JolokiaResponder.Reply
        switch request.method {
        case .GET:
            reply = responder.answer(getPath: String(target.dropFirst(Self.servletPath.count)))
        case .POST:
            if bodyTooLarge {
                reply = JolokiaResponder.Reply(
                    body: responder.errorBody(.illegalArgument("Request too large"), request: nil), actions: [])
            } else {
                reply = responder.answer(postBody: String(buffer: body))
            }
        default:
            send(status: .methodNotAllowed, contentType: "text/html;charset=iso-8859-1",
                 text: jettyPage(405, "Method Not Allowed"), request: request, context: context)
            return
        }
        let actions = reply.actions
        let onAction = self.onAction
        // Jolokia answers 200 even for errors; the status that matters is in the body.
        send(status: .ok, contentType: "text/plain;charset=utf-8", text: reply.body.serialized,
             request: request, context: context) {
            for action in actions { onAction(action) }
        }
    }

    private func send(
        status: HTTPResponseStatus,
        contentType: String,
        text: String,
        extraHeaders: HTTPHeaders = HTTPHeaders(),
        request: HTTPRequestHead,
        context: ChannelHandlerContext,
        then: (@Sendable () -> Void)? = nil
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate.now())
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Pragma", value: "no-cache")
        headers.add(name: "Expires", value: "Thu, 01 Jan 1970 00:00:00 GMT")
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        headers.add(contentsOf: extraHeaders)
        let keepAlive = request.isKeepAlive && then == nil
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
            then?()
        }
    }

    private func jettyPage(_ code: Int, _ message: String) -> String {
        """
        <html>
        <head>
        <meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
        <title>Error \(code) \(message)</title>
        </head>
        <body><h2>HTTP ERROR \(code) \(message)</h2>
        </body>
        </html>

        """
    }
}
