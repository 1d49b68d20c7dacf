import AMQTopCore

/// Hands the loop's history effects to the history sink, off the loop and in order.
///
/// Writes (and a slow disk) must never delay a key or a frame, yet the detector needs
/// observations in the order they were seen, and a stop noted before the takeover it
/// causes: one queue, one worker. The loop sends one job per burst of results, and the
/// worker hands it to the sink in one call (one wake-up of the history thread, one
/// transaction), then reads back what changed once per group the burst changed, not once
/// per observation. What the history has to show goes back as `AppEvent`s. The sink's own
/// writes run on its thread (see `HistoryRecorder`), not on this worker.
public final class HistoryFeed: Sendable {
    /// One job for the worker.
    public enum Job: Equatable, Sendable {
        /// A burst of observations and stop notes, in the order the loop made them.
        case record([HistoryEntry])
        case load(groups: [String], nowMillis: Int64)
    }

    /// How many failovers per group the group view lists (and scrolls through).
    public static let recentLimit = 200

    /// How far back the timelines reach: the longest window they show.
    public static let timelineMillis = TimelineWindow.week.millis

    private let continuation: AsyncStream<Job>.Continuation
    private let worker: Task<Void, Never>

    /// Starts the worker; `deliver` receives the events for the reducer (failovers, notices).
    public init(sink: any HistorySink, deliver: @escaping @Sendable (AppEvent) -> Void) {
        // Observations arrive a few per broker per second; if the disk stalls, the newest win.
        let (jobs, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.continuation = continuation
        worker = Task {
            for await job in jobs {
                switch job {
                case .record(let entries):
                    let updates = await sink.record(entries)
                    await Self.deliverChanges(updates, entries: entries, sink: sink, deliver: deliver)
                case .load(let groups, let now):
                    for group in groups {
                        deliver(.failovers(group: group, await sink.recentFailovers(group: group, limit: Self.recentLimit)))
                        // Nothing recorded, nothing to send: the timeline then shows what is live.
                        let timeline = await sink.timelineHistory(group: group, sinceMillis: now - Self.timelineMillis)
                        if !timeline.isEmpty { deliver(.timeline(group: group, timeline)) }
                    }
                }
                for notice in await sink.takeNotices() { deliver(.notice("history: \(notice)")) }
            }
        }
    }

    /// Sends the failover lists and timelines of the groups a burst changed, once per group,
    /// in the order the groups first changed.
    private static func deliverChanges(
        _ updates: [HistoryUpdate], entries: [HistoryEntry], sink: any HistorySink, deliver: @Sendable (AppEvent) -> Void
    ) async {
        guard !updates.isEmpty else { return }
        var changed: [String] = []
        var withFailover: Set<String> = []
        for update in updates {
            if !changed.contains(update.group) { changed.append(update.group) }
            if case .failover = update { withFailover.insert(update.group) }
        }
        // The timeline reaches back from the group's last observation in the burst, as it did from each.
        var lastObserved: [String: Int64] = [:]
        for case .observe(let observation, _, let now) in entries { lastObserved[observation.name] = now }
        for group in changed {
            let now = lastObserved[group] ?? 0
            if withFailover.contains(group) {
                deliver(.failovers(group: group, await sink.recentFailovers(group: group, limit: Self.recentLimit)))
            }
            // Any new or changed record moves the timeline (a tenure begins, a split brain ends).
            let timeline = await sink.timelineHistory(group: group, sinceMillis: now - Self.timelineMillis)
            if !timeline.isEmpty { deliver(.timeline(group: group, timeline)) }
        }
    }

    /// Queues a job; never blocks.
    public func send(_ job: Job) { continuation.yield(job) }

    /// Lets the queued jobs finish (each record is committed as it is made), then stops.
    public func finish() async {
        continuation.finish()
        await worker.value
    }
}
