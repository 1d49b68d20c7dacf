import AMQTopCore
import AMQTopRuntime

/// A history sink that runs the real `FailoverDetector` and keeps, in memory, what it found.
final class FakeHistory: HistorySink {
    /// Every observation handed over, with the instant it was stamped with.
    let observations = Recorder<(GroupObservation, Int64)>()
    /// Every stop noted: group, broker, when.
    let stops = Recorder<StopNote>()
    /// Every failover the detector finished.
    let failovers = Recorder<FailoverEvent>()
    private let state = DetectorBox()

    struct StopNote: Equatable, Sendable {
        var group: String
        var broker: String
        var atMillis: Int64
    }

    func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) async -> [HistoryUpdate] {
        let updates = await state.observe(observation, assessment: assessment, nowMillis: nowMillis)
        for case .failover(let event) in updates { failovers.append(event) }
        observations.append((observation, nowMillis))
        return updates
    }

    /// Every burst handed over in one call (`record`), in order.
    let bursts = Recorder<[HistoryEntry]>()

    /// Keeps the burst, then runs it entry by entry through the detectors, as the real recorder does.
    func record(_ entries: [HistoryEntry]) async -> [HistoryUpdate] {
        bursts.append(entries)
        return await recordOneByOne(entries)
    }

    func noteStop(group: String, broker: String, atMillis: Int64) async {
        await state.noteStop(group: group, broker: broker, atMillis: atMillis)
        stops.append(StopNote(group: group, broker: broker, atMillis: atMillis))
    }

    func recentFailovers(group: String, limit: Int) async -> [FailoverEvent] {
        Array(failovers.all.filter { $0.group == group }.reversed().prefix(limit))
    }

    func takeNotices() async -> [String] { [] }

    /// What the history holds for the timelines, as a test sets it (empty by default, like a new file).
    let timelines = Recorder<TimelineHistory>()

    func timelineHistory(group: String, sinceMillis: Int64) async -> TimelineHistory {
        timelines.all.last ?? TimelineHistory()
    }

    /// The detectors, one per group, as the real recorder keeps them.
    private actor DetectorBox {
        var detectors: [String: FailoverDetector] = [:]

        func observe(_ observation: GroupObservation, assessment: GroupAssessment, nowMillis: Int64) -> [HistoryUpdate] {
            detectors[observation.name, default: FailoverDetector(group: observation.name)]
                .observe(observation, assessment: assessment, nowMillis: nowMillis)
        }

        func noteStop(group: String, broker: String, atMillis: Int64) {
            detectors[group, default: FailoverDetector(group: group)].noteStop(broker: broker, atMillis: atMillis)
        }
    }
}
