import AMQTopCore

/// The dashboard's side of the history: one detector per group, and every record committed
/// before it is handed back for display.
///
/// Never throws: a history that cannot be opened or written is reported through `notices`
/// and monitoring goes on. A file found corrupt while running is set aside and a new one
/// started, once per failure, and the record that failed is written to the new file.
///
/// Every job of this actor (and so every synchronous SQLite write) runs on a thread of its
/// own (`HistoryThread`), never on the cooperative pool the probes and the loop share.
public actor HistoryRecorder {
    /// The history file's path.
    public let path: String
    /// The lock files the history must never be (checked at every open).
    private let guarding: HistoryFileGuard
    private var store: HistoryStore?
    private var detectors: [String: FailoverDetector] = [:]
    private var pendingNotices: [String] = []
    private nonisolated let thread: HistoryThread
    /// The brokers' tailed logs (`brokerLog:`), and what they told about how masters left.
    private let logFeed: (any BrokerLogFeed)?
    private var logCauses = LiveLogCauses()
    /// Live tenures filed under the open tenure an import wrote for the same master.
    private var imported = ImportedTenureContinuation()
    /// How many transactions this recorder committed (a burst is one: tests check it).
    private(set) var committedTransactions = 0

    /// The history thread, so this actor's jobs never run on the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Opens (or sets aside and recreates) the history at `path`.
    ///
    /// With `logFeed`, each observation of a group first reads its brokers' new log lines, and
    /// a takeover whose old master's log says how it left (gave up its lock, shut down) is
    /// recorded with that cause and its sentence. A file `guarding` refuses is left as it is
    /// and history is off for the run.
    public init(
        path: String, guarding: HistoryFileGuard = HistoryFileGuard(), nowMillis: Int64 = TimeFormat.nowMillis(),
        logFeed: (any BrokerLogFeed)? = nil
    ) {
        self.path = path
        self.guarding = guarding
        self.logFeed = logFeed
        thread = HistoryThread(name: "amqtop-history")
        let opening = HistoryStore.openRecovering(path: path, guarding: guarding, nowMillis: nowMillis)
        store = opening.store
        pendingNotices = opening.notices
    }

    /// True while records are being written.
    public var isRecording: Bool { store != nil }

    /// Messages for the status line since the last call (file set aside, history off), then cleared.
    public func takeNotices() -> [String] {
        defer { pendingNotices = [] }
        return pendingNotices
    }

    /// Tells the group's detector that amqtop sent `broker` a stop (the cause of the next takeover).
    public func noteStop(group: String, broker: String, atMillis: Int64) {
        detectors[group, default: FailoverDetector(group: group)].noteStop(broker: broker, atMillis: atMillis)
    }

    /// Runs one observation through the group's detector, commits what changed, and returns it.
    ///
    /// The records are returned even when they could not be stored, so the screen still shows them.
    @discardableResult
    public func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) -> [HistoryUpdate] {
        record([.observe(observation, assessment, nowMillis: nowMillis)])
    }

    /// Runs a burst of observations and stop notes through the detectors in order, commits
    /// everything they changed in ONE transaction, and returns it (in order, by observation).
    ///
    /// One job on the history thread and one commit per burst, instead of one of each per
    /// observation: with hundreds of brokers the wake-ups and commits cost more than the
    /// detection. Every observation still reaches its detector, so every record and its
    /// timing is what observing them one by one gives; an observation that changes nothing
    /// adds nothing to the transaction, and a burst that changes nothing writes nothing.
    /// The records are returned even when they could not be stored, so the screen still shows them.
    @discardableResult
    public func record(_ entries: [HistoryEntry]) -> [HistoryUpdate] {
        var updates: [HistoryUpdate] = []
        // `updates[committed...]` are not in the file yet; `lastNow` stamps a set-aside file.
        var committed = 0
        var lastNow: Int64?
        for entry in entries {
            switch entry {
            case .noteStop(let group, let broker, let at):
                noteStop(group: group, broker: broker, atMillis: at)
            case .observe(let observation, let assessment, let now):
                // Read on this (history) thread: local files, bounded reads, never the cooperative pool.
                let told = readLogs(group: observation.name)
                if told, committed < updates.count {
                    // The recorded failovers are read back for the causes: this burst's so far must be in the file.
                    commit(Array(updates[committed...]), nowMillis: now)
                    committed = updates.count
                }
                updates += detect(observation, assessment: assessment, nowMillis: now, told: told)
                lastNow = now
            }
        }
        if let lastNow, committed < updates.count { commit(Array(updates[committed...]), nowMillis: lastNow) }
        return updates
    }

    /// One observation through the group's detector, with the causes the logs told; nothing committed.
    private func detect(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64, told: Bool) -> [HistoryUpdate] {
        var detector = detectors[observation.name] ?? FailoverDetector(group: observation.name)
        var updates = detector.observe(observation, assessment: assessment, nowMillis: nowMillis)
        detectors[observation.name] = detector
        updates = updates.map { update in
            guard case .failover(let event) = update, let explained = logCauses.explain(event) else { return update }
            return .failover(explained)
        }
        updates = imported.map(updates, store: store)
        // Lines that arrive after the takeover was recorded still tell its cause.
        if told, let store {
            let recorded = (try? store.recentFailovers(group: observation.name, limit: 3)) ?? []
            for event in recorded where !updates.contains(where: { if case .failover(let new) = $0 { new.key == event.key } else { false } }) {
                if let explained = logCauses.explain(event) { updates.append(.failover(explained)) }
            }
        }
        return updates
    }

    /// Takes the group's new log lines; true when they told a new ending of some broker.
    private func readLogs(group: String) -> Bool {
        guard let logFeed else { return false }
        var told = false
        for batch in logFeed.newLines(group: group) where !batch.lines.isEmpty {
            if logCauses.take(broker: batch.broker, lines: batch.lines) { told = true }
        }
        return told
    }

    /// The group's last `limit` failovers, newest first; empty when history is off.
    public func recentFailovers(group: String, limit: Int) -> [FailoverEvent] {
        guard let store else { return [] }
        do {
            return try store.recentFailovers(group: group, limit: limit)
        } catch {
            pendingNotices.append("\(error)")
            return []
        }
    }

    /// The group's tenures, failovers and split brains from `sinceMillis` on (oldest first), for its timeline; empty when history is off.
    public func timelineHistory(group: String, sinceMillis: Int64) -> TimelineHistory {
        guard let store else { return TimelineHistory() }
        do {
            return TimelineHistory(
                tenures: try store.tenures(group: group, sinceMillis: sinceMillis),
                failovers: try store.failovers(group: group, sinceMillis: sinceMillis),
                splitBrains: try store.splitBrains(group: group, sinceMillis: sinceMillis))
        } catch {
            pendingNotices.append("\(error)")
            return TimelineHistory()
        }
    }

    private func commit(_ updates: [HistoryUpdate], nowMillis: Int64) {
        guard !updates.isEmpty, let current = store else { return }
        do {
            try current.record(updates)
            committedTransactions += 1
        } catch let error as HistoryStoreError where error.isSetAsideRemedy {
            let opening = HistoryStore.openRecovering(path: path, guarding: guarding, nowMillis: nowMillis)
            store = opening.store
            pendingNotices += opening.notices
            do {
                try store?.record(updates)
                if store != nil { committedTransactions += 1 }
            } catch {
                pendingNotices.append("\(error); history is off for this run")
                store = nil
            }
        } catch {
            // A busy or failing disk: keep trying with the next records rather than stop recording.
            pendingNotices.append("\(error)")
        }
    }
}
