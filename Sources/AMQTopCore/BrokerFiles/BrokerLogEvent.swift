/// What one broker log line says about the lock and the broker's life, for history import.
///
/// Recognised by the upstream messages and categories (unchanged 5.15 through 6.3); any
/// other line is `.other`.
public enum BrokerLogEvent: Equatable, Sendable {
    /// `Apache ActiveMQ 5.17.2 (broker2, ID:...) is starting` (BrokerService).
    case starting(BrokerIdentity)
    /// `Apache ActiveMQ 5.17.2 (broker2, ID:...) started`: it holds the lock and serves.
    case started(BrokerIdentity)
    /// `... is shutting down`: a clean stop begins (or the tail of a keep-alive give-up).
    case shuttingDown(BrokerIdentity)
    /// `... is shutdown`: the clean stop finished.
    case shutdown(BrokerIdentity)
    /// `Database D/lock is locked by another server. This broker is now in slave mode ...` (SharedFileLocker).
    case waitingForLock(lockFile: String)
    /// `NAME, no longer able to keep the exclusive lock so giving up being a master` (LockableServiceSupport).
    case gaveUpLock(brokerName: String)
    /// `Lock file D/lock, locked at DATE, has been modified at DATE` (LockFile): why a keep-alive gave up.
    case lockFileModified(lockFile: String)
    /// `Page File: D/db.data. Recovering pageFile free list due to prior unclean shutdown..` (PageFile): the previous holder crashed.
    case recoveringAfterUncleanShutdown
    /// `Refreshing org.apache.activemq.xbean.XBeanBrokerFactory$1@...`: the broker's Spring
    /// context (re)starts, in a new JVM or, after giving up its lock, in the same one. Its
    /// first line: a master that logs it again without a shutdown had vanished before.
    case refreshing
    /// Any other line of the pattern.
    case other

    /// The broker as BrokerService's start and stop lines name it.
    public struct BrokerIdentity: Equatable, Sendable {
        /// e.g. `5.17.2`.
        public var version: String
        public var brokerName: String
        /// e.g. `ID:host-40321-1764580000000-0:1`.
        public var brokerId: String

        public init(version: String, brokerName: String, brokerId: String) {
            self.version = version
            self.brokerName = brokerName
            self.brokerId = brokerId
        }
    }
}
