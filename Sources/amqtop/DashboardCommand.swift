import AMQTopActions
import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import AMQTopRemote
import AMQTopScreen
import AMQTopTerminal
import ArgumentParser
import Foundation

/// `amqtop` (no subcommand): the live full-screen dashboard.
///
/// Data flows one way: the poller's updates, the terminal's keys and a clock tick all
/// become `AppEvent`s for the pure reducer; every event draws a whole frame into a buffer,
/// and the terminal thread sends only the cells that changed. Probes run concurrently in
/// the poller, so a hanging broker never delays a key.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live dashboard (the default): groups, roles, lock, keep-alive and alerts.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("A theme name (default, light, high-contrast, monochrome, or one in $XDG_CONFIG_HOME/amqtop/themes) or a YAML file.", valueName: "NAME|PATH"))
    var theme: String?

    @Flag(name: .customLong("read-only"), help: "Remove every action (also `readOnly: true` in the config).")
    var readOnly = false

    /// The longest the dashboard may take to shut down once the terminal is restored.
    static let exitBoundSeconds: TimeInterval = 10

    /// How often the clock ticks: the lock age and lateness marks move with it.
    static let tickMillis: Int64 = 250

    /// The shortest time between two frames. Events are applied as they come, but a frame is
    /// drawn once per burst: with hundreds of brokers, drawing after every probe result cost
    /// more than a core (Benchmarks/, BENCHMARKS.md). 40 ms keeps keys well under 100 ms.
    static let frameMillis: Int64 = 40

    func run() async throws {
        var config = try options.resolveOrExit()
        // Stops of brokers on other hosts must run there (RemoteStopper); until the actions take
        // a stop seam, a configuration with hosts is watched read-only rather than stopped here.
        if !config.hosts.isEmpty { config.readOnly = true }
        var settings = config
        if readOnly { settings.readOnly = true }
        try await Self.run(config: settings, theme: theme)
    }

    /// Runs the dashboard on `config` until `q` or a signal, with `theme` (else the config's).
    ///
    /// `afterTerminalRestored` runs once the terminal is back and the poller has stopped:
    /// `amqtop demo` stops its lab brokers there, before anything here may end the process.
    static func run(config: AppConfig, theme: String?, afterTerminalRestored: () async -> Void = {}) async throws {
        let environment = ProcessInfo.processInfo.environment
        if let problem = TerminalCheck.problemHere(environment: environment) {
            FileHandle.standardError.write(Data((problem + "\n").utf8))
            throw ExitCode(ExitCodes.unknown)
        }
        // Themes load before curses starts, so a bad theme prints a plain error.
        let loader = ThemeLoader(environment: environment, executablePath: Self.executablePath())
        let chosen: Theme
        do {
            chosen = try loader.load(theme ?? config.theme)
        } catch let error as ThemeError {
            FileHandle.standardError.write(Data("amqtop: theme: \(error)\n".utf8))
            throw ExitCode(ExitCodes.unknown)
        }
        let session: TerminalSession
        do {
            session = try TerminalSession.start(environment: environment)
        } catch let error as TerminalError {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode(ExitCodes.unknown)
        }
        // Terminals with fewer than 8 colours get the monochrome theme: attributes only.
        let monochrome = (try? loader.loadNamed("monochrome")) ?? chosen.withoutColours()
        session.use(theme: session.info.colors >= 8 ? chosen : monochrome)

        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let remote = try RemoteAwareProber.make(config: config, http: http)
        let poller = Poller(config: config, prober: remote.prober)
        let (inputs, continuation) = AsyncStream<Input>.makeStream(bufferingPolicy: .unbounded)
        let history = HistoryFeed(recorder: HistoryRecorder(path: HistoryLocation.resolve(configured: config.historyPath))) { event in
            continuation.yield(.app(event))
        }
        history.send(.load(groups: config.groups.map(\.name)))
        let actions = DashboardActions(
            executor: StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis)),
            audit: AuditLog(path: AuditLog.defaultPath()), history: history)
        let reason = await runLoop(
            config: config, session: session, poller: poller, actions: actions, inputs: inputs, continuation: continuation)
        session.stop()
        // Leaving must never hang (a dashboard left behind by a dropped SSH session is worse
        // than a skipped goodbye): every record is already committed, lab brokers die with
        // their parent, so past this bound the process just exits.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: Self.exitBoundSeconds)
            Self.tellStandardError("amqtop: shutdown took over \(Int(Self.exitBoundSeconds)) s; exiting")
            Foundation.exit(0)
        }
        await poller.stop()
        await remote.close()
        await history.finish()
        await afterTerminalRestored()
        await Self.shutdown(http)
        switch reason {
        case .signal(let number) where number != SIGINT:
            // SIGTERM / SIGHUP: the terminal is restored; say so on stderr for the log.
            Self.tellStandardError("amqtop: stopped by signal \(number)")
        case .hangup:
            Self.tellStandardError("amqtop: the terminal went away; stopped")
        default:
            break
        }
    }

    /// Writes one line to stderr, and nothing happens when it cannot be written.
    ///
    /// After an SSH session dropped, stderr is often the dead terminal: a write fails with
    /// EIO, and `FileHandle.write(_:)` traps on a failed write, so the goodbye line crashed
    /// the process (SIGILL, a core dump) just as it was leaving cleanly.
    static func tellStandardError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Why the loop ended.
    enum StopReason: Equatable {
        case quit
        case signal(Int32)
        /// The terminal went away without a signal (see `TerminalEvent.hangup`).
        case hangup
    }

    /// One input to the loop, from any source.
    enum Input: Sendable {
        case terminal(TerminalEvent)
        case poll(PollUpdate)
        case tick
        case stopped(group: String, broker: String, outcome: StopOutcome, sentAtMillis: Int64)
        /// An event from a helper beside the loop (the history).
        case app(AppEvent)
        /// Time to draw the state as it is now (one per burst of events).
        case frame
    }

    /// Feeds events through the reducer and frames to the terminal until `q` or a signal.
    private static func runLoop(
        config: AppConfig, session: TerminalSession, poller: Poller, actions: DashboardActions,
        inputs: AsyncStream<Input>, continuation: AsyncStream<Input>.Continuation
    ) async -> StopReason {
        let context = ViewContext(glyphs: session.info.glyphs, utcOffsetSeconds: TimeZone.current.secondsFromGMT())
        var state = AppState(config: config, nowMillis: Self.nowMillis(), width: session.info.width, height: session.info.height)
        let feeders = [
            Task {
                for await event in session.events { continuation.yield(.terminal(event)) }
            },
            Task {
                for await update in poller.updates { continuation.yield(.poll(update)) }
            },
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Self.tickMillis))
                    continuation.yield(.tick)
                }
            },
        ]
        defer { for feeder in feeders { feeder.cancel() } }
        await poller.start()
        session.show(DashboardRenderer.render(state, context: context))
        var lastFrame = ContinuousClock.now
        var framePending = false

        for await input in inputs {
            let event: AppEvent
            switch input {
            case .frame:
                framePending = false
                lastFrame = ContinuousClock.now
                session.show(DashboardRenderer.render(state, context: context))
                continue
            case .terminal(.signal(let number)):
                return .signal(number)
            case .terminal(.hangup):
                return .hangup
            case .terminal(.key(let key)):
                event = .key(key)
            case .terminal(.resize(let width, let height)):
                event = .resize(width: width, height: height)
            case .poll(.lock(let group, let snapshot)):
                event = .lockSnapshot(group: group, snapshot)
            case .poll(.broker(let group, let observation)):
                event = .brokerObservation(group: group, observation)
            case .poll(.roundComplete(let at)):
                event = .roundComplete(atMillis: at)
            case .poll(.brokerSkipped):
                continue
            case .tick:
                event = .tick(nowMillis: Self.nowMillis())
            case .stopped(let group, let broker, let outcome, let sentAt):
                event = .stopFinished(group: group, broker: broker, outcome: outcome, sentAtMillis: sentAt)
            case .app(let appEvent):
                event = appEvent
            }
            let before = RedrawPolicy.before(event, in: state)
            for effect in Reducer.reduce(&state, event) {
                switch effect {
                case .quit:
                    return .quit
                case .pollNow:
                    await poller.pollNow()
                case .repaintAll:
                    session.repaintAll()
                case .stopBroker(let group, let broker):
                    // The stop runs beside the loop: a hung endpoint must not freeze the screen.
                    guard let brokerConfig = config.group(named: group)?.broker(named: broker) else { continue }
                    Task {
                        let (outcome, sentAt) = await actions.stop(group: group, broker: brokerConfig)
                        continuation.yield(.stopped(group: group, broker: broker, outcome: outcome, sentAtMillis: sentAt))
                    }
                }
            }
            // Every fresh look at a group goes to the history, with the verdict it led to.
            if case .poll(let update) = input, let group = update.groupName,
               let observation = state.observations[group], let assessment = state.assessments[group] {
                actions.history.send(.observe(observation, assessment, nowMillis: Self.nowMillis()))
            }
            // The frame request queues behind the events already waiting, so one frame shows them all.
            // Results that only move measurements wait for the next tick's frame (RedrawPolicy).
            if !framePending, RedrawPolicy.isUrgent(event, before: before, after: state) {
                framePending = true
                let wait = lastFrame + .milliseconds(Self.frameMillis) - ContinuousClock.now
                Task {
                    if wait > .zero { try? await Task.sleep(for: wait) }
                    continuation.yield(.frame)
                }
            }
        }
        return .quit
    }

    /// Shuts the HTTP client down, but never lets a stuck connection keep the process alive.
    private static func shutdown(_ http: ProbeHTTPClient) async {
        let done = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await http.shutdown()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        // The terminal is already restored; leaving without the client's clean shutdown is safe.
        if !done { Foundation.exit(0) }
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The running binary, to find `Themes/` beside or above it.
    static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }
}
