import AMQTopCore

/// Writes tenures and takeovers rebuilt from broker logs into the history, beside (and into)
/// what dashboards recorded live.
///
/// Idempotent: a takeover a dashboard recorded (`lock:<acquisition ms>`) is found by its
/// acquisition falling in the log's window and merged into that row (its cause told, its
/// source `live+log`); one nobody recorded gets the key `log:<master>:<started ms>`, which a
/// second import of the same lines finds again. So an import run twice, or over a live
/// history, adds no row for a takeover already there.
public struct HistoryLogImporter: Sendable {
    /// What one import did to one group's history.
    public struct Summary: Equatable, Sendable {
        public var group: String
        /// Tenures and takeovers the logs hold.
        public var tenures = 0
        public var takeovers = 0
        /// Takeovers found in the history as recorded live, now told their cause by the log.
        public var matchedLive = 0
        /// Takeovers an earlier import already wrote.
        public var alreadyImported = 0
        /// Takeovers new to the history.
        public var added = 0
        /// The takeovers by cause, in the order of `FailoverCause.allCases`.
        public var causes: [FailoverCause: Int] = [:]

        public init(group: String) { self.group = group }
    }

    /// How far outside the log's window a live acquisition still counts as the same one:
    /// the brokers' clocks and the log's millisecond stamps against the lock file's.
    public var slackMillis: Int64

    public init(slackMillis: Int64 = 2_000) {
        self.slackMillis = slackMillis
    }

    /// Matches and writes `tenures` of `group` in one transaction; returns what it did.
    public func importTenures(_ tenures: [LogTenure], group: String, into store: HistoryStore, nowMillis: Int64) throws -> Summary {
        var summary = Summary(group: group)
        var updates: [HistoryUpdate] = []
        for tenure in tenures {
            summary.tenures += 1
            let lower = tenure.acquiredAfterMillis - slackMillis
            let upper = tenure.startedAtMillis + slackMillis
            let liveFailover = try store.failoverKey(
                group: group, toBroker: tenure.master, acquiredBetween: lower, and: upper, near: tenure.startedAtMillis)
            let liveTenure = try store.tenureKey(
                group: group, master: tenure.master, acquiredBetween: lower, and: upper, near: tenure.startedAtMillis)
            let matched = liveFailover ?? liveTenure
            let key = matched ?? "log:\(tenure.master):\(tenure.startedAtMillis)"
            updates.append(.tenure(Tenure(
                group: group, key: key, master: tenure.master, acquiredAtMillis: nil, firstSeenAtMillis: tenure.startedAtMillis,
                // A live tenure's end is the next acquisition, exactly; the log's is only a bound.
                endedAtMillis: matched == nil ? tenure.endedAtMillis : nil, startedBeforeObservation: false, source: .log)))
            guard let takeover = tenure.takeover else { continue }
            summary.takeovers += 1
            summary.causes[takeover.cause, default: 0] += 1
            let existing = try store.failover(group: group, key: key)
            switch existing?.source {
            case nil: summary.added += 1
            case .live?: summary.matchedLive += 1
            case .log?, .liveAndLog?: summary.alreadyImported += 1
            }
            // Phases a dashboard measured stay as measured: the log only fills the ones it missed.
            let serving = PhaseStamp(atMillis: tenure.startedAtMillis, signal: .log)
            updates.append(.failover(FailoverEvent(
                group: group, key: key, fromBroker: takeover.fromBroker, toBroker: tenure.master, cause: takeover.cause,
                detectedAtMillis: existing?.detectedAtMillis ?? nowMillis,
                oldMasterGone: existing?.oldMasterGone == nil ? takeover.oldMasterGone : nil,
                newMasterServing: existing?.newMasterServing == nil ? serving : nil,
                causeDetail: takeover.detail, source: .log)))
        }
        try store.record(updates)
        return summary
    }
}
