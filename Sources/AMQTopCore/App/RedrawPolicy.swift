/// Decides whether an event must reach the screen at once or can wait for the next clock tick.
///
/// With hundreds of brokers, probe results arrive several hundred times a second. Drawing a
/// frame for each (up to 25 a second) was the larger part of the dashboard's drawing cost,
/// though nearly all of them only move measurements: read times, latencies, uptimes,
/// counters. Whatever an operator acts on — a lock holder or timestamp, a lock or endpoint
/// error, a role, an alert, a port or process going up or down, a drill step — still goes
/// out within one frame; measurements wait at most one tick (250 ms), when the clock redraws
/// the lock ages anyway. Anything this policy does not know is urgent.
public enum RedrawPolicy {
    /// The parts of the state an event can change, taken before it is reduced.
    public struct Before: Sendable {
        var lock: LockFileSnapshot?
        var broker: BrokerObservation?
        var assessment: GroupAssessment?
        var drill: DrillTimeline?
        var hosts: [HostLink] = []
    }

    /// What to compare after `event`; nil when the event is always urgent (keys, ticks, outcomes).
    public static func before(_ event: AppEvent, in state: AppState) -> Before? {
        switch event {
        case .lockSnapshot(let group, _):
            return Before(lock: state.observations[group]?.lock, assessment: state.assessments[group], drill: state.drills[group])
        case .brokerObservation(let group, let observation):
            return Before(broker: state.observations[group]?.broker(named: observation.name),
                          assessment: state.assessments[group], drill: state.drills[group])
        case .roundComplete:
            // Only the header's "last round" moves; a late poller is judged on ticks.
            return Before()
        case .hosts:
            return Before(hosts: state.hosts)
        default:
            return nil
        }
    }

    /// True when `event`, now reduced into `state`, changed something that must be drawn now.
    public static func isUrgent(_ event: AppEvent, before: Before?, after state: AppState) -> Bool {
        guard let before else { return true }
        switch event {
        case .lockSnapshot(let group, _):
            return state.assessments[group] != before.assessment || state.drills[group] != before.drill
                || withoutMeasurements(state.observations[group]?.lock) != withoutMeasurements(before.lock)
        case .brokerObservation(let group, let observation):
            return state.assessments[group] != before.assessment || state.drills[group] != before.drill
                || withoutMeasurements(state.observations[group]?.broker(named: observation.name))
                    != withoutMeasurements(before.broker)
        case .hosts:
            // A host's state or error is urgent; its round trip is a measurement.
            return state.hosts.map(\.withoutMeasurements) != before.hosts.map(\.withoutMeasurements)
        default:
            return false
        }
    }

    /// The snapshot with its read time cleared: two reads of an unchanged file compare equal.
    static func withoutMeasurements(_ snapshot: LockFileSnapshot?) -> LockFileSnapshot? {
        guard var snapshot else { return nil }
        snapshot.atMillis = 0
        return snapshot
    }

    /// The observation with times, latencies and counters cleared, keeping every state and error.
    static func withoutMeasurements(_ observation: BrokerObservation?) -> BrokerObservation? {
        guard var observation else { return nil }
        if var jolokia = observation.jolokia {
            jolokia.atMillis = 0
            jolokia.latencyMillis = 0
            // Which attributes only measure is declared with them (`BrokerAttribute.Redraw`).
            for attribute in JolokiaObservation.measurements { attribute.clear(in: &jolokia) }
            observation.jolokia = jolokia
        }
        if var openwire = observation.openwire {
            openwire.atMillis = 0
            openwire.latencyMillis = 0
            observation.openwire = openwire
        }
        if var process = observation.process {
            process.atMillis = 0
            observation.process = process
        }
        return observation
    }
}
