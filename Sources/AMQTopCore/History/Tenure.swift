/// One master's time holding a group's lock (or serving, when the lock is not visible).
///
/// The tenure found when amqtop starts began before anybody watched: the lock file's
/// timestamp still says when, so it is recorded as a tenure, never as a failover.
public struct Tenure: Equatable, Sendable {
    public var group: String
    /// `lock:<acquisition ms>` when the lock is visible (shared across processes), else
    /// `seen:<master>:<first seen ms>`.
    public var key: String
    /// The master, once known.
    public var master: String?
    /// The acquisition timestamp from the lock file.
    public var acquiredAtMillis: Int64?
    /// When amqtop first saw this tenure.
    public var firstSeenAtMillis: Int64
    /// When the next acquisition ended it; nil while it lasts.
    public var endedAtMillis: Int64?
    /// True for the tenure already running when amqtop started watching the group.
    public var startedBeforeObservation: Bool
    /// Who recorded it: a running amqtop, an imported log, or both.
    public var source: HistorySource

    public init(
        group: String, key: String, master: String?, acquiredAtMillis: Int64?, firstSeenAtMillis: Int64,
        endedAtMillis: Int64? = nil, startedBeforeObservation: Bool, source: HistorySource = .live
    ) {
        self.source = source
        self.group = group
        self.key = key
        self.master = master
        self.acquiredAtMillis = acquiredAtMillis
        self.firstSeenAtMillis = firstSeenAtMillis
        self.endedAtMillis = endedAtMillis
        self.startedBeforeObservation = startedBeforeObservation
    }

    /// When the tenure started as far as is known: the acquisition, else the first sighting.
    public var startedAtMillis: Int64 { acquiredAtMillis ?? firstSeenAtMillis }
}
