/// Something wrong with a group, what it means, and what to do about it.
public struct Alert: Equatable, Sendable, Hashable {
    /// The stable identity of each rule, used in `--json`, tests and history.
    public enum Code: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
        case noMaster = "NO_MASTER"
        case splitBrain = "SPLIT_BRAIN"
        case masterNotLockHolder = "MASTER_NOT_LOCK_HOLDER"
        case lockMissing = "LOCK_MISSING"
        case lockUnreadable = "LOCK_UNREADABLE"
        case lockNotHeld = "LOCK_NOT_HELD"
        case lockTouched = "LOCK_MTIME_CHANGED"
        case foreignLockHolder = "FOREIGN_LOCK_HOLDER"
        case keepAliveOff = "KEEPALIVE_OFF"
        case keepAliveVsLease = "KEEPALIVE_VS_NFS_LEASE"
        case nfs3 = "NFSV3"
        case ocfs2 = "OCFS2"
        case brokerDown = "BROKER_DOWN"
        case brokerUnreachable = "ENDPOINT_ERROR"
        case noStandby = "NO_STANDBY"
        /// A master whose standbys are all `unknown`: none can be confirmed.
        case noStandbyConfirmed = "NO_STANDBY_CONFIRMED"
        /// The broker hosts do not see the same lock file at the group's path.
        case lockViewsDisagree = "LOCK_VIEWS_DISAGREE"
        /// Held, listed by no host's lock table, while no broker serves: the NFSv3 stuck lock.
        case stuckLock = "STUCK_LOCK"
        /// The lock file's first 8 bytes are no plausible acquisition time.
        case lockTimestampImplausible = "LOCK_TIMESTAMP_IMPLAUSIBLE"
        /// The brokers' own `activemq.xml` files (`brokerXml:`) disagree within the group.
        case brokerFilesDisagree = "BROKER_FILES_DISAGREE"
        /// A broker's `activemq.xml` and amqtop.yaml disagree (keep-alive, acquire interval, store).
        case brokerFileDrift = "BROKER_FILE_DRIFT"
        /// A broker's `activemq.xml` sets `useLock="false"`: no exclusion at all.
        case brokerFileNoLock = "BROKER_FILE_NO_LOCK"
        /// A broker's `activemq.xml` cannot be read or parsed.
        case brokerFileUnreadable = "BROKER_FILE_UNREADABLE"
    }

    public var severity: Severity
    public var code: Code
    /// What is wrong, naming the brokers and values involved.
    public var message: String
    /// What the operator should do.
    public var action: String
    /// The broker this alert is about, when it is about one.
    public var broker: String?

    public init(_ severity: Severity, _ code: Code, _ message: String, action: String, broker: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.action = action
        self.broker = broker
    }
}
