import Foundation

/// What the brokers' own logs said, as they were tailed (`brokerLog:`), about how a master
/// left: the evidence a recorded takeover's cause is told by.
///
/// Pure: it is handed the new lines of each broker's log and keeps, per broker, its latest
/// ending (a give-up of its lock, a clean shutdown). A takeover from that broker whose outage
/// began near that ending is explained by it ("b2 gave up the lock: its keep-alive saw the
/// lock file change"); a dashboard's `crash` or `unknown` becomes `lockLost` or `shutdown`,
/// a stop amqtop sent stays a stop.
public struct LiveLogCauses: Sendable {
    /// One broker's latest ending, as its log told it.
    public struct Ending: Equatable, Sendable {
        public var cause: FailoverCause
        public var detail: String
        public var atMillis: Int64
    }

    /// How long before the outage a broker's ending still explains it (a clean stop can take a while).
    public var beforeMillis: Int64
    /// How long after the lock was taken the ending may be dated (the log's clock against the lock file's).
    public var afterMillis: Int64
    /// The zone the brokers write their logs in.
    public var timeZone: TimeZone
    /// The latest ending of each broker (by its name in amqtop.yaml).
    public private(set) var endings: [String: Ending] = [:]
    private var lockModifiedAt: [String: Int64] = [:]

    public init(timeZone: TimeZone = .current, beforeMillis: Int64 = 60_000, afterMillis: Int64 = 5_000) {
        self.timeZone = timeZone
        self.beforeMillis = beforeMillis
        self.afterMillis = afterMillis
    }

    /// Takes `broker`'s new log lines; returns true when they told a new ending.
    @discardableResult
    public mutating func take(broker: String, lines: [String]) -> Bool {
        var changed = false
        for text in lines {
            guard let line = BrokerLogLineParser.parse(text) else { continue }
            let at = BrokerLogScan.millis(line.timestamp, timeZone: timeZone)
            switch line.event {
            case .lockFileModified:
                lockModifiedAt[broker] = at
            case .gaveUpLock:
                let changedFile = lockModifiedAt[broker].map { at - $0 <= LogHistoryReconstructor.modifiedWindowMillis && at >= $0 } ?? false
                let why = changedFile ? "its keep-alive saw the lock file change" : "its keep-alive found the lock no longer held"
                endings[broker] = Ending(cause: .lockLost, detail: "\(broker) gave up the lock: \(why)", atMillis: at)
                changed = true
            case .shuttingDown:
                // The shutdown lines that follow a give-up are part of it, not a second ending.
                if let last = endings[broker], last.cause == .lockLost, at - last.atMillis <= LogHistoryReconstructor.modifiedWindowMillis { continue }
                endings[broker] = Ending(cause: .shutdown, detail: "\(broker) shut down cleanly", atMillis: at)
                changed = true
            default:
                continue
            }
        }
        return changed
    }

    /// `event` with the cause its old master's log told, when that explains it better; else nil.
    public func explain(_ event: FailoverEvent) -> FailoverEvent? {
        guard let old = event.fromBroker, let ending = endings[old] else { return nil }
        let start = event.outageStartMillis ?? event.lockAcquired?.atMillis ?? event.detectedAtMillis
        let end = event.lockAcquired?.atMillis ?? event.newMasterServing?.atMillis ?? event.detectedAtMillis
        guard ending.atMillis >= start - beforeMillis, ending.atMillis <= max(start, end) + afterMillis else { return nil }
        var explained = event
        if ending.cause.weight > event.cause.weight { explained.cause = ending.cause }
        if explained.causeDetail == nil { explained.causeDetail = ending.detail }
        return explained == event ? nil : explained
    }
}
