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
    private var store: HistoryStore?
    private var detectors: [String: FailoverDetector] = [:]
    private var pendingNotices: [String] = []
    private nonisolated let thread: HistoryThread

    /// The history thread, so this actor's jobs never run on the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Opens (or sets aside and recreates) the history at `path`.
    public init(path: String, nowMillis: Int64 = TimeFormat.nowMillis()) {
        self.path = path
        thread = HistoryThread(name: "amqtop-history")
        let opening = HistoryStore.openRecovering(path: path, nowMillis: nowMillis)
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
        var detector = detectors[observation.name] ?? FailoverDetector(group: observation.name)
        let updates = detector.observe(observation, assessment: assessment, nowMillis: nowMillis)
        detectors[observation.name] = detector
        commit(updates, nowMillis: nowMillis)
        return updates
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
        } catch let error as HistoryStoreError where error.isSetAsideRemedy {
            let opening = HistoryStore.openRecovering(path: path, nowMillis: nowMillis)
            store = opening.store
            pendingNotices += opening.notices
            do {
                try store?.record(updates)
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
