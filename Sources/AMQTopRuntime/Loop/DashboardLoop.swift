import AMQTopCore
import AMQTopProbes
import AMQTopScreen
import AMQTopTerminal

/// The live dashboard's run loop: inputs through the reducer, effects to their runners, frames to the terminal.
///
/// Data flows one way: probe results, the terminal's keys and the clock's tick all become
/// `AppEvent`s for the pure reducer; every effect it returns (poll now, stop a broker,
/// record an observation, note a stop, repaint, quit) is carried out here. The loop takes
/// every input waiting at once (a burst of probe results arrives as one push), reduces them
/// in order, hands the burst's history effects to the history as one job, and then draws at
/// most one frame for the whole burst. Everything outside (terminal, probes, history, stops,
/// time) comes in through a protocol, so a test runs the loop on a `ManualClock` with fakes.
public final class DashboardLoop: Sendable {
    /// Draws a state into a frame (the dashboard's views; a test may record what it was given).
    public typealias Render = @Sendable (AppState, ViewContext) -> Buffer

    /// How often the clock ticks: the lock age and lateness marks move with it.
    public static let tickMillis: Int64 = 250

    /// The shortest time between two frames. Events are applied as they come, but a frame is
    /// drawn once per burst: with hundreds of brokers, drawing after every probe result cost
    /// more than a core (Benchmarks/, BENCHMARKS.md). 40 ms keeps keys well under 100 ms.
    public static let frameMillis: Int64 = 40

    private let config: AppConfig
    private let terminal: any DashboardTerminal
    private let probes: any ProbeUpdateSource
    private let actions: any StopAction
    private let clock: any AppClock
    private let render: Render
    private let history: HistoryFeed
    private let queue: InputQueue
    private let hostLinks: (@Sendable () -> [HostLink])?
    /// Whether the status line starts with the first-run hint (`amqtop demo`).
    private let firstRunHint: Bool
    /// How many inputs the loop has handled (tests wait on it).
    public let progress: LoopProgress

    /// A loop over `config`; nothing runs until `run()`.
    ///
    /// `inputCapacity` bounds the waiting measurements (see `InputQueue`); by default it
    /// has room for several rounds of every probe, as the poller's own buffer does.
    /// `hostLinks` reads the broker hosts' connection states (the hosts panel); it is sampled
    /// on the tick's cadence and sent to the reducer when it changed. `firstRunHint` shows
    /// what to try in the status line until the first stop (`AppState.firstRunHint`).
    public init(
        config: AppConfig, terminal: any DashboardTerminal, probes: any ProbeUpdateSource, history: any HistorySink,
        actions: any StopAction, clock: any AppClock, inputCapacity: Int? = nil,
        hostLinks: (@Sendable () -> [HostLink])? = nil, firstRunHint: Bool = false,
        render: @escaping Render = { DashboardRenderer.render($0, context: $1) }
    ) {
        self.hostLinks = hostLinks
        self.firstRunHint = firstRunHint
        self.config = config
        self.terminal = terminal
        self.probes = probes
        self.actions = actions
        self.clock = clock
        self.render = render
        let probesPerRound = config.groups.reduce(0) { $0 + $1.brokers.count + 1 }
        let queue = InputQueue(capacity: inputCapacity ?? max(1024, 8 * probesPerRound))
        self.queue = queue
        self.history = HistoryFeed(sink: history) { event in queue.push(.app(event)) }
        self.progress = LoopProgress()
    }

    /// Runs until `q`, a signal or a hangup; the probes keep running until `shutdown()`.
    public func run() async -> StopReason {
        var state = AppState(config: config, nowMillis: clock.nowMillis(), width: terminal.width, height: terminal.height)
        state.showsFirstRunHint = firstRunHint
        history.send(.load(groups: config.groups.map(\.name), nowMillis: state.nowMillis))
        let (terminal, probes, queue, clock) = (terminal, probes, queue, clock)
        // The schedule counts from the loop's start (on the wall clock's grid), not from whenever the tick task first runs.
        let firstTick = Self.nextGridTick(after: state.startedAtMillis)
        var helpers = [
            Task { for await event in terminal.events { queue.push(.terminal(event)) } },
            Task { for await burst in probes.updates { queue.push(contentsOf: burst.map(LoopInput.poll)) } },
            Task { await Self.tick(clock: clock, queue: queue, firstMillis: firstTick) },
        ]
        if let hostLinks {
            helpers.append(Task { await Self.sampleHosts(hostLinks, clock: clock, queue: queue) })
        }
        // The wait for the next frame, if one is pending (at most one at a time).
        var frameWait: Task<Void, Never>?
        defer {
            for helper in helpers { helper.cancel() }
            frameWait?.cancel()
        }
        await probes.start()
        var lastFrame = draw(state)
        var framePending = false

        while let inputs = await queue.nextBurst(limit: Self.burstLimit) {
            // Counted once the burst is reduced, recorded and drawn: a test waiting on the count sees all of it.
            defer { progress.handled(inputs.count) }
            var burst = Burst()
            defer { if !burst.history.isEmpty { history.send(.record(burst.history)) } }
            for input in inputs {
                if input == .frame {
                    // The frame waited for is drawn after the whole burst, which it then shows too.
                    framePending = false
                    burst.drawsFrame = true
                    continue
                }
                let appEvent: AppEvent
                switch Self.step(for: input, nowMillis: clock.nowMillis()) {
                case .ended(let reason): return reason
                case .ignored: continue
                case .app(let event): appEvent = event
                }
                // Only a tick compares whole states (FrameCadence); a copy kept for every result
                // made each one copy the dashboard's dictionaries when the reducer wrote them.
                let judged = !framePending && !burst.drawsFrame && !burst.wantsFrame
                let before = judged ? RedrawPolicy.before(appEvent, in: state) : nil
                let stateBefore: AppState? = if judged, case .tick = appEvent { state } else { nil }
                for effect in Reducer.reduce(&state, appEvent) {
                    if let reason = await perform(effect, history: &burst.history) { return reason }
                }
                // Results that only move measurements wait for the next drawn tick's frame (RedrawPolicy),
                // and an idle tick is drawn once a second (FrameCadence).
                if judged, Self.needsFrame(appEvent, before: before, stateBefore: stateBefore ?? state, after: state, lastFrameMillis: lastFrame) {
                    burst.wantsFrame = true
                }
            }
            if burst.drawsFrame {
                lastFrame = draw(state)
            } else if burst.wantsFrame {
                // The frame request queues behind the inputs that arrive meanwhile, so one frame shows them all.
                framePending = true
                let now = clock.nowMillis()
                // A wall clock stepped back must not hold frames back: never wait more than one frame time.
                let due = min(lastFrame + Self.frameMillis, now + Self.frameMillis)
                if due <= now {
                    queue.push(.frame)
                } else {
                    frameWait = Task {
                        do { try await clock.sleep(untilMillis: due) } catch { return }
                        queue.push(.frame)
                    }
                }
            }
        }
        return .quit
    }

    /// The most inputs reduced before a frame or a history job: bounds a burst after a stall.
    static let burstLimit = 4096

    /// What one burst of inputs asks of the loop once they are all reduced.
    private struct Burst {
        /// The history effects, in order, for one job.
        var history: [HistoryEntry] = []
        /// The pending frame came due: draw once the burst is reduced.
        var drawsFrame = false
        /// Some input asked for a frame (and none is pending): request one.
        var wantsFrame = false
    }

    /// Whether `event`, now reduced, asks for a frame: a tick by `FrameCadence`, the rest by `RedrawPolicy`.
    static func needsFrame(
        _ event: AppEvent, before: RedrawPolicy.Before?, stateBefore: AppState, after state: AppState, lastFrameMillis: Int64
    ) -> Bool {
        if case .tick = event {
            return FrameCadence.tickIsDrawn(before: stateBefore, after: state, lastFrameMillis: lastFrameMillis)
        }
        return RedrawPolicy.isUrgent(event, before: before, after: state)
    }

    /// The first tick after `millis` on the wall clock's grid of `tickMillis`.
    ///
    /// On the grid, the tick that starts a second falls at its start: the whole-second lock
    /// age and the clock of the last round then turn together, in one frame.
    public static func nextGridTick(after millis: Int64) -> Int64 {
        let grid = millis >= 0 ? millis / tickMillis : (millis - tickMillis + 1) / tickMillis
        return (grid + 1) * tickMillis
    }

    /// Stops the probes, then lets the history write what is queued (call after `run()`, terminal restored).
    public func shutdown() async {
        queue.finish()
        await probes.stop()
        await history.finish()
    }

    /// What an input means to the loop: an event for the reducer, the end, or nothing.
    private enum Step {
        case app(AppEvent)
        case ended(StopReason)
        case ignored
    }

    /// Maps one input (other than `.frame`) onto what the loop does with it.
    private static func step(for input: LoopInput, nowMillis: Int64) -> Step {
        switch input {
        case .terminal(.signal(let number)): .ended(.signal(number))
        case .terminal(.hangup): .ended(.hangup)
        case .terminal(.key(let key)): .app(.key(key))
        case .terminal(.resize(let width, let height)): .app(.resize(width: width, height: height))
        case .poll(.lock(let group, let snapshot)): .app(.lockSnapshot(group: group, snapshot))
        case .poll(.broker(let group, let observation)): .app(.brokerObservation(group: group, observation))
        case .poll(.roundComplete(let at)): .app(.roundComplete(atMillis: at))
        case .poll(.brokerSkipped), .frame: .ignored
        case .tick: .app(.tick(nowMillis: nowMillis))
        case .stopped(let group, let broker, let report):
            .app(.stopFinished(group: group, broker: broker, outcome: report.shownOutcome, sentAtMillis: report.sentAtMillis))
        case .app(let event): .app(event)
        }
    }

    /// Carries out one effect, history effects by adding them to the burst's `history`; returns a reason when the loop must end.
    private func perform(_ effect: Effect, history: inout [HistoryEntry]) async -> StopReason? {
        switch effect {
        case .quit:
            return .quit
        case .pollNow:
            await probes.pollNow()
        case .repaintAll:
            terminal.repaintAll()
        case .stopBroker(let group, let broker):
            // The stop runs beside the loop: a hung endpoint must not freeze the screen.
            guard let brokerConfig = config.group(named: group)?.broker(named: broker) else { return nil }
            let (actions, queue) = (actions, queue)
            Task {
                let report = await actions.stop(group: group, broker: brokerConfig)
                queue.push(.stopped(group: group, broker: broker, report))
            }
        case .recordObservation(let observation, let assessment):
            history.append(.observe(observation, assessment, nowMillis: clock.nowMillis()))
        case .noteStop(let group, let broker, let at):
            history.append(.noteStop(group: group, broker: broker, atMillis: at))
        }
        return nil
    }

    /// Draws `state` with the UTC offset as of now (a DST change shows on the next frame); returns when.
    private func draw(_ state: AppState) -> Int64 {
        let now = clock.nowMillis()
        let context = ViewContext(glyphs: terminal.glyphs, utcOffsetSeconds: clock.utcOffsetSeconds(atMillis: now))
        terminal.show(render(state, context))
        return now
    }

    /// Sends the hosts' states whenever they differ from the last sent, checking every `tickMillis`, until cancelled.
    ///
    /// Sampled rather than pushed by the connections: a state read is a lock and a copy, and
    /// the sampler can never block a connection's reader thread on the loop's queue.
    private static func sampleHosts(_ links: @escaping @Sendable () -> [HostLink], clock: any AppClock, queue: InputQueue) async {
        var last: [HostLink]?
        while !Task.isCancelled {
            let now = links()
            if now != last {
                queue.push(.app(.hosts(now)))
                last = now
            }
            do { try await clock.sleep(untilMillis: clock.nowMillis() + tickMillis) } catch { return }
        }
    }

    /// Queues a tick at `firstMillis` and every `tickMillis` after, on a fixed schedule, until cancelled.
    ///
    /// A stall or a stepped wall clock restarts the schedule on the grid (`nextGridTick`).
    private static func tick(clock: any AppClock, queue: InputQueue, firstMillis: Int64) async {
        var next = firstMillis
        while true {
            do { try await clock.sleep(untilMillis: next) } catch { return }
            queue.push(.tick)
            next += tickMillis
            // A stalled machine or a wall clock stepped either way starts the schedule afresh.
            let now = clock.nowMillis()
            if next <= now || next > now + tickMillis { next = nextGridTick(after: now) }
        }
    }
}
