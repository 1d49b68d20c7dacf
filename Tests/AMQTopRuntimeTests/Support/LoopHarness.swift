import AMQTopCore
import AMQTopRuntime
import AMQTopScreen

/// A dashboard loop on a manual clock with a fake terminal, probes, history and stops.
struct LoopHarness {
    /// What one frame was drawn from.
    struct Rendered: Sendable {
        var state: AppState
        var context: ViewContext
    }

    let clock: ManualClock
    let terminal = FakeTerminal()
    let probes = FakeProbes()
    let history = FakeHistory()
    let stops: FakeStops
    let renders = Recorder<Rendered>()
    let loop: DashboardLoop

    /// `hostLinks` stands in for the SSH connections' states (the hosts panel), when given.
    init(groups: [GroupConfig], startMillis: Int64 = Fixtures.now, inputCapacity: Int? = nil,
         hostLinks: (@Sendable () -> [HostLink])? = nil) {
        let clock = ManualClock(startMillis: startMillis)
        self.clock = clock
        stops = FakeStops(clock: clock)
        let renders = renders
        loop = DashboardLoop(
            config: AppConfig(groups: groups), terminal: terminal, probes: probes, history: history, actions: stops,
            clock: clock, inputCapacity: inputCapacity, hostLinks: hostLinks,
            render: { state, context in
                renders.append(Rendered(state: state, context: context))
                return DashboardRenderer.render(state, context: context)
            })
    }

    /// Runs the loop beside the test; await the task's value for why it ended.
    func start() -> Task<StopReason, Never> {
        let loop = loop
        return Task { await loop.run() }
    }

    /// Lets a frame that is waiting for its 40 ms go out (ticks, every 250 ms, stay ahead).
    func passFrameTime() { clock.advance(byMillis: DashboardLoop.frameMillis) }

    /// Passes frame times until the frames drawn satisfy `condition` (or the suite's time limit cancels).
    ///
    /// For a frame that shows an answer of the history: a test sees the history's record
    /// before the loop has that answer (the feed reads it back and sends it after the whole
    /// burst), so one frame time could pass before the loop even asked for its frame.
    func passFrameTimes(until condition: @escaping @Sendable ([Rendered]) -> Bool) async {
        while !condition(renders.all), !Task.isCancelled {
            passFrameTime()
            await Task.yield()
        }
    }

    /// Quits with `q` and shuts the loop down; returns why it ended.
    func quit(_ running: Task<StopReason, Never>) async -> StopReason {
        terminal.send(.key(.escape), .key(.escape), .key(.character("q")))
        let reason = await running.value
        await loop.shutdown()
        return reason
    }
}
