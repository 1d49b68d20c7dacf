import NIOCore
import NIOHTTP1

/// The point in a connection's pipeline where ready-made request bytes are written.
///
/// It sits between the socket (or TLS) and NIO's HTTP response decoder. A request built once
/// per broker (`JolokiaHTTPRequest`) is written from here as it is, so it is not encoded again
/// on every poll. The decoder still has to see each request's head go by (it pairs answers
/// with requests), so the exchange sends a typed head down the pipeline first; it ends here,
/// and the real bytes go on from this handler's context toward the socket.
final class RawRequestWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    /// The head the decoder is shown for every request (all of amqtop's requests are POSTs).
    static let observedHead = HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/"))

    /// This handler's place in the pipeline, while it is in one.
    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    // Dropping the context here breaks the handler <-> context cycle when the channel closes.
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// A typed part from above has been seen by the decoder; it goes no further.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.succeed(())
    }

    /// Writes `bytes` toward the socket, below the decoder.
    func send(_ bytes: ByteBuffer) -> EventLoopFuture<Void>? {
        context.map { $0.writeAndFlush(wrapOutboundOut(bytes)) }
    }
}
