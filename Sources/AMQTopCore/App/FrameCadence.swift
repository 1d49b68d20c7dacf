/// Decides which clock ticks get a frame: once a second when the screen is idle, every tick
/// only while something on it moves in tenths.
///
/// Over SSH every frame is its own encrypted packet and its TCP acknowledgement, so the number
/// of frames matters more than their bytes. Idle, what a tick moves is whole seconds (a lock
/// age past ten seconds, the last round's time) and measurements waiting since the last frame
/// (latencies, uptimes): drawn together on the first tick of each wall-clock second, they make
/// one frame a second, as `watch -n1` does. A lock age under ten seconds or a running drill
/// shows tenths, and a tick that changes a verdict, the poll health or the status line is
/// news: those ticks are all drawn. Events that change what an operator acts on never wait
/// for a tick (`RedrawPolicy`).
public enum FrameCadence {
    /// Below this lock age the age shows tenths (`DurationFormat.short`), which move every tick.
    public static let tenthsBelowMillis: Int64 = 10_000

    /// True when the tick that turned `before` into `after` must be drawn, the last frame
    /// having been drawn at `lastFrameMillis`.
    public static func tickIsDrawn(before: AppState, after: AppState, lastFrameMillis: Int64) -> Bool {
        if second(after.nowMillis) != second(lastFrameMillis) { return true }
        if showsTenths(after) { return true }
        return after.assessments != before.assessments || after.pollHealth != before.pollHealth
            || after.statusMessage != before.statusMessage
    }

    /// True while a lock age under ten seconds or a drill in progress is on screen to move.
    public static func showsTenths(_ state: AppState) -> Bool {
        for (group, observation) in state.observations {
            if let age = observation.lock?.ageMillis(nowMillis: state.nowMillis), age < tenthsBelowMillis,
                state.config.group(named: group) != nil
            {
                return true
            }
        }
        return state.drills.values.contains { !$0.verdict(nowMillis: state.nowMillis).isFinal }
    }

    /// The wall-clock second `millis` falls in (floored, also before 1970).
    static func second(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    }
}
