import AMQTopActions
import AMQTopCore
import AMQTopProbes
import AMQTopTerminal

/// One input to the dashboard loop, from any source.
public enum LoopInput: Equatable, Sendable {
    case terminal(TerminalEvent)
    case poll(PollUpdate)
    /// The clock's tick: lock ages and lateness move.
    case tick
    /// A stop the reducer asked for has come back from the stop action.
    case stopped(group: String, broker: String, StopReport)
    /// An event from a helper beside the loop (the history).
    case app(AppEvent)
    /// Time to draw the state as it is now (one per burst of events).
    case frame

    /// What a newer input of the same kind replaces, for a measurement; nil for anything that must never be dropped.
    ///
    /// Only probe results are measurements: a newer look at the same lock or broker says
    /// all an older one did. Keys, signals, hangups, stop outcomes, history events, ticks
    /// and frames are never dropped.
    var measurementKey: MeasurementKey? {
        switch self {
        case .poll(.lock(let group, _)): .lock(group: group)
        case .poll(.broker(let group, let observation)): .broker(group: group, broker: observation.name)
        case .poll(.brokerSkipped(let group, let broker)): .skipped(group: group, broker: broker)
        case .poll(.roundComplete): .round
        case .terminal, .tick, .stopped, .app, .frame: nil
        }
    }

    /// Which lock, broker or round mark a measurement is about.
    enum MeasurementKey: Hashable, Sendable {
        case lock(group: String)
        case broker(group: String, broker: String)
        case skipped(group: String, broker: String)
        case round
    }
}
