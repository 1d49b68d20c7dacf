import AMQTopCore
import AMQTopHistory

/// Records the dashboard's observations in the failover history, off the render loop and in order.
///
/// SQLite writes (and a slow disk) must never delay a key or a frame, yet the detector
/// needs observations in the order they were seen, and a stop noted before the takeover it
/// causes: one queue, one worker. What the history has to show goes back as `AppEvent`s.
final class HistoryFeed: Sendable {
    /// One job for the worker.
    enum Job: Sendable {
        case observe(GroupObservation, GroupAssessment, nowMillis: Int64)
        case noteStop(group: String, broker: String, atMillis: Int64)
        case load(groups: [String])
    }

    /// How many failovers per group the group view lists.
    static let recentLimit = 8

    private let continuation: AsyncStream<Job>.Continuation
    private let worker: Task<Void, Never>

    /// Starts the worker; `deliver` receives the events for the reducer (failovers, notices).
    init(recorder: HistoryRecorder, deliver: @escaping @Sendable (AppEvent) -> Void) {
        // Observations arrive a few per broker per second; if the disk stalls, the newest win.
        let (jobs, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.continuation = continuation
        worker = Task {
            for await job in jobs {
                switch job {
                case .observe(let observation, let assessment, let now):
                    let updates = await recorder.observe(observation, assessment: assessment, nowMillis: now)
                    if updates.contains(where: { if case .failover = $0 { true } else { false } }) {
                        deliver(.failovers(group: observation.name, await recorder.recentFailovers(group: observation.name, limit: Self.recentLimit)))
                    }
                case .noteStop(let group, let broker, let at):
                    await recorder.noteStop(group: group, broker: broker, atMillis: at)
                case .load(let groups):
                    for group in groups {
                        deliver(.failovers(group: group, await recorder.recentFailovers(group: group, limit: Self.recentLimit)))
                    }
                }
                for notice in await recorder.takeNotices() { deliver(.notice("history: \(notice)")) }
            }
        }
    }

    /// Queues a job; never blocks.
    func send(_ job: Job) { continuation.yield(job) }

    /// Lets the queued jobs finish (each record is committed as it is made), then stops.
    func finish() async {
        continuation.finish()
        await worker.value
    }
}
