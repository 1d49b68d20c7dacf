/// A stretch of time during which more than one broker of a group served as master.
///
/// Recorded apart from failovers: two masters is not a change of master but the hazard the
/// shared lock exists to prevent (OCFS2, NFSv4 without keep-alive, a broker on the wrong
/// directory), and counting it as a takeover would hide it in the statistics.
public struct SplitBrainEpisode: Equatable, Sendable {
    public var group: String
    /// `lock:<acquisition ms>:<first broker>` when the lock is visible, else `seen:<start ms>`.
    public var key: String
    /// Every broker seen serving during the episode, in configuration order.
    public var brokers: [String]
    public var startedAtMillis: Int64
    /// Nil while it lasts.
    public var endedAtMillis: Int64?
    /// The lock file's acquisition timestamp when the episode began.
    public var lockAcquiredAtMillis: Int64?

    public init(
        group: String, key: String, brokers: [String], startedAtMillis: Int64, endedAtMillis: Int64? = nil,
        lockAcquiredAtMillis: Int64? = nil
    ) {
        self.group = group
        self.key = key
        self.brokers = brokers
        self.startedAtMillis = startedAtMillis
        self.endedAtMillis = endedAtMillis
        self.lockAcquiredAtMillis = lockAcquiredAtMillis
    }
}
