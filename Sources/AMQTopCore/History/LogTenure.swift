/// One master's tenure as the brokers' logs tell it, with the takeover that began it.
///
/// Logs do not say when the lock was taken (there is no such line, and the lock file's own
/// timestamp is not in them): only that it was after the new master began waiting and after
/// the old master ended, and before the new master's `started`. That window is how an
/// import finds the same acquisition a dashboard recorded live (`lock:<acquisition ms>`).
public struct LogTenure: Equatable, Sendable {
    /// The master, as amqtop.yaml names it.
    public var master: String
    /// The lock was taken after this instant ...
    public var acquiredAfterMillis: Int64
    /// ... and by this one: the new master's `started` line.
    public var startedAtMillis: Int64
    /// When the master ended (its give-up or shutdown line, or its last line when it vanished); nil while it lasts.
    public var endedAtMillis: Int64?
    /// The takeover that began it; nil for a first start (nobody held the lock before, as far as the logs tell).
    public var takeover: Takeover?

    public init(master: String, acquiredAfterMillis: Int64, startedAtMillis: Int64, endedAtMillis: Int64? = nil, takeover: Takeover? = nil) {
        self.master = master
        self.acquiredAfterMillis = acquiredAfterMillis
        self.startedAtMillis = startedAtMillis
        self.endedAtMillis = endedAtMillis
        self.takeover = takeover
    }

    /// How the previous master left, as its own log (or the new master's) tells.
    public struct Takeover: Equatable, Sendable {
        /// The previous master; nil when its log was not imported.
        public var fromBroker: String?
        public var cause: FailoverCause
        /// One sentence for the history panel and the drill timeline, e.g.
        /// "b2 gave up the lock: its keep-alive saw the lock file change".
        public var detail: String
        /// The old master's give-up or shutdown line; nil when it vanished (a crash's instant is not logged).
        public var oldMasterGone: PhaseStamp?

        public init(fromBroker: String?, cause: FailoverCause, detail: String, oldMasterGone: PhaseStamp? = nil) {
            self.fromBroker = fromBroker
            self.cause = cause
            self.detail = detail
            self.oldMasterGone = oldMasterGone
        }
    }
}
