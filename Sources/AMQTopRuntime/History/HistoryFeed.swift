import AMQTopCore

/// Hands the loop's history effects to the history sink, off the loop and in order.
///
/// Writes (and a slow disk) must never delay a key or a frame, yet the detector needs
/// observations in the order they were seen, and a stop noted before the takeover it
/// causes: one queue, one worker. What the history has to show goes back as `AppEvent`s.
/// The sink's own writes run on its thread (see `HistoryRecorder`), not on this worker.
public final class HistoryFeed: Sendable {
    /// One job for the worker.
    public enum Job: Equatable, Sendable {
        case observe(GroupObservation, GroupAssessment, nowMillis: Int64)
        case noteStop(group: String, broker: String, atMillis: Int64)
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
                case .observe(let observation, let assessment, let now):
                    let updates = await sink.observe(observation, assessment: assessment, nowMillis: now)
                    if updates.contains(where: { if case .failover = $0 { true } else { false } }) {
                        deliver(.failovers(group: observation.name, await sink.recentFailovers(group: observation.name, limit: Self.recentLimit)))
                    }
                    // Any new or changed record moves the timeline (a tenure begins, a split brain ends).
                    if !updates.isEmpty {
                        let timeline = await sink.timelineHistory(group: observation.name, sinceMillis: now - Self.timelineMillis)
                        if !timeline.isEmpty { deliver(.timeline(group: observation.name, timeline)) }
                    }
                case .noteStop(let group, let broker, let at):
                    await sink.noteStop(group: group, broker: broker, atMillis: at)
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

    /// Queues a job; never blocks.
    public func send(_ job: Job) { continuation.yield(job) }

    /// Lets the queued jobs finish (each record is committed as it is made), then stops.
    public func finish() async {
        continuation.finish()
        await worker.value
    }
}
