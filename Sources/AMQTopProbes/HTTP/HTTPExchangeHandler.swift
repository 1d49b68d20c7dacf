import AMQTopCore
import NIOCore
import NIOHTTP1

/// Runs one request at a time on a kept-alive connection and collects its answer.
///
/// The end of a connection's pipeline, after NIO's HTTP response decoder. `start` writes the
/// request's bytes (through `RawRequestWriter`) and arms the request's deadline on the event
/// loop; the answer's parts are gathered into one buffer, cut at the body cap. Any failure
/// (deadline, cap, a broken or misbehaving connection) closes the connection: a connection
/// whose state is unknown is never used for another request, so answers cannot be mixed.
/// Only a 200's body is read; any other status ends the exchange at its head.
/// Everything here runs on the channel's event loop.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let writer: RawRequestWriter
    private var context: ChannelHandlerContext?
    /// The exchange under way, if any.
    private var promise: EventLoopPromise<HTTPAnswer>?
    private var timer: Scheduled<Void>?
    private var timeoutMillis: Int64 = 0
    private var maxBodyBytes = 0
    private var status = 0
    private var keepAlive = true
    private var sawHead = false
    private var body = ByteBuffer()
    /// False once the connection closed or is closing.
    private(set) var isOpen = true
    /// When the last exchange ended (kept by `EndpointConnections` for its idle limit).
    var idleSince = NIODeadline.now()

    init(writer: RawRequestWriter) {
        self.writer = writer
    }

    /// Whether a new request can be started now.
    var isIdle: Bool { isOpen && promise == nil && context != nil }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(ConnectionBreak.closedByPeer.error, beforeAnswer: !sawHead)
        self.context = nil
    }

    /// Sends `request` and completes `promise` with its answer or an `ExchangeFailure`, by `deadline` at the latest.
    func start(
        _ request: ByteBuffer, deadline: NIODeadline, timeoutMillis: Int64, maxBodyBytes: Int,
        promise: EventLoopPromise<HTTPAnswer>
    ) {
        guard isIdle, let context, writer.context != nil else {
            promise.fail(ExchangeFailure(error: ConnectionBreak.closedByPeer.error, beforeAnswer: true))
            return
        }
        self.promise = promise
        self.timeoutMillis = timeoutMillis
        self.maxBodyBytes = maxBodyBytes
        status = 0
        keepAlive = true
        sawHead = false
        body.clear()
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(deadline: deadline) { [self] in
            fail(.timeout(afterMillis: timeoutMillis), beforeAnswer: false)
        }
        // The decoder pairs each answer with a request head it saw written (see `RawRequestWriter`).
        context.write(NIOAny(RawRequestWriter.observedHead), promise: nil)
        writer.send(request)?.assumeIsolated().whenFailure { [self] error in
            fail(TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis), beforeAnswer: !sawHead)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard promise != nil else {
            // Bytes nobody asked for: whatever this server sends next cannot be trusted.
            close()
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            sawHead = true
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            guard status == 200 else {
                // Only the status (and a redirect's Location) is reported: the body is not
                // read, and the connection is not kept with an unread body in it.
                keepAlive = false
                succeed(HTTPAnswer(status: status, location: head.headers.first(name: "Location"), body: ByteBuffer()))
                return
            }
            let declared = head.headers.first(name: "Content-Length").flatMap { Int($0) }
            if let declared, declared > maxBodyBytes {
                fail(.tooLarge(limitBytes: maxBodyBytes), beforeAnswer: false)
                return
            }
            body.reserveCapacity(min(declared ?? 4096, maxBodyBytes))
        case .body(var chunk):
            guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                fail(.tooLarge(limitBytes: maxBodyBytes), beforeAnswer: false)
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            let answer = HTTPAnswer(status: status, location: nil, body: body)
            // The next exchange starts from an empty buffer of its own, not this answer's storage.
            body = ByteBuffer()
            succeed(answer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        // Closed with an answer under way: after its status line, the answer was cut short.
        fail(sawHead ? ConnectionBreak.closedMidAnswer.error : ConnectionBreak.closedByPeer.error, beforeAnswer: !sawHead)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis), beforeAnswer: !sawHead)
        close()
    }

    // MARK: - Ending an exchange

    private func succeed(_ answer: HTTPAnswer) {
        guard let promise else { return }
        self.promise = nil
        timer?.cancel()
        timer = nil
        if !keepAlive { close() }
        promise.succeed(answer)
    }

    private func fail(_ error: EndpointError, beforeAnswer: Bool) {
        guard let promise else { return }
        self.promise = nil
        timer?.cancel()
        timer = nil
        close()
        promise.fail(ExchangeFailure(error: error, beforeAnswer: beforeAnswer))
    }

    /// Closes the connection; it is not used again.
    func close() {
        guard isOpen else { return }
        isOpen = false
        context?.close(promise: nil)
    }
}
