import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Where the slow half of basic auth runs: bcrypt on one thread of its own, at most `limit` waiting.
///
/// A scraper with unknown credentials costs one bcrypt (tens of milliseconds). On its own
/// thread that never holds up the listener's event loop (remembered scrapers pass at once)
/// nor takes more than one core from the poller; past `limit` waiting checks a request is
/// refused at once rather than queued, so a wrong-password flood costs bounded CPU and memory.
public final class CredentialCheckQueue: Sendable {
    private let pool: NIOThreadPool
    private let waiting = NIOLockedValueBox(0)
    private let limit: Int

    public init(limit: Int = 16) {
        self.limit = limit
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    /// Runs `authenticator.allows(authorization:)` on the queue's thread; false at once when the queue is full.
    func check(_ authorization: String?, with authenticator: BasicAuthenticator, on eventLoop: any EventLoop) -> EventLoopFuture<Bool> {
        let admitted = waiting.withLockedValue { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else { return eventLoop.makeSucceededFuture(false) }
        return pool.runIfActive(eventLoop: eventLoop) {
            authenticator.allows(authorization: authorization)
        }.always { _ in
            self.waiting.withLockedValue { $0 -= 1 }
        }
    }

    /// Stops the thread (checks still waiting fail, which answers 401).
    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
