/// How a takeover started, as far as the observations (and the brokers' own logs) tell.
public enum FailoverCause: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    /// The old master's process died or its port vanished, and amqtop had not asked it to stop.
    /// From a log: it vanished without a word (the next master's `Recovering pageFile free
    /// list due to prior unclean shutdown` confirms it).
    case crash
    /// amqtop sent the old master a stop shortly before it went away.
    case stop
    /// The old master's keep-alive found its lock gone or the lock file changed and it gave
    /// up being master (its log: `no longer able to keep the exclusive lock`).
    case lockLost
    /// The old master shut down cleanly (`is shutting down` ... `is shutdown` in its log)
    /// without amqtop having asked it to.
    case shutdown
    /// Neither: the old master was not known, or it left without a telling signal
    /// (e.g. it still answers, now as a slave, after losing its lock).
    case unknown

    /// How much a cause explains: when two records of one takeover disagree (a dashboard's
    /// and a log's), the higher one wins. A stop amqtop sent explains the most; a clean
    /// shutdown or a lost lock read in the broker's own log explains more than the `crash`
    /// a poll infers from a process that went away.
    public var weight: Int {
        switch self {
        case .stop: 4
        case .lockLost: 3
        case .shutdown: 2
        case .crash: 1
        case .unknown: 0
        }
    }
}
