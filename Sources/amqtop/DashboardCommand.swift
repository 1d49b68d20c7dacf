import AMQTopActions
import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import AMQTopRemote
import AMQTopRuntime
import AMQTopScreen
import AMQTopTerminal
import ArgumentParser
import Foundation

/// `amqtop` (no subcommand): the live full-screen dashboard.
///
/// Wiring only: checks the terminal and the theme, starts curses, and runs `DashboardLoop`
/// (AMQTopRuntime) with the poller, the history, the stop-then-audit path and the system
/// clock; then restores the terminal and leaves within a bound.
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

    func run() async throws {
        var settings = try options.resolveOrExit()
        if readOnly { settings.readOnly = true }
        try await Self.run(config: settings, theme: theme)
    }

    /// Runs the dashboard on `config` until `q` or a signal, with `theme` (else the config's).
    ///
    /// `afterTerminalRestored` runs once the terminal is back and the poller has stopped:
    /// `amqtop demo` stops its lab brokers there, before anything here may end the process.
    /// `firstRunHint` puts what to try in the status line until the first stop (the demo).
    static func run(config: AppConfig, theme: String?, firstRunHint: Bool = false, afterTerminalRestored: () async -> Void = {}) async throws {
        let environment = ProcessInfo.processInfo.environment
        if let problem = TerminalCheck.problemHere(environment: environment) {
            StandardError.lines(problem)
            throw ExitCode(ExitCodes.unknown)
        }
        // Themes load before curses starts, so a bad theme prints a plain error.
        let loader = ThemeLoader(environment: environment, executablePath: Self.executablePath())
        let chosen: Theme
        do {
            chosen = try loader.load(theme ?? config.theme)
        } catch let error as ThemeError {
            StandardError.line("amqtop: theme: \(error)")
            throw ExitCode(ExitCodes.unknown)
        }
        let session: TerminalSession
        do {
            session = try TerminalSession.start(environment: environment)
        } catch let error as TerminalError {
            StandardError.lines(error.message)
            throw ExitCode(ExitCodes.unknown)
        }
        // Terminals with fewer than 8 colours get the monochrome theme: attributes only.
        let monochrome = (try? loader.loadNamed("monochrome")) ?? chosen.withoutColours()
        session.use(theme: session.info.colors >= 8 ? chosen : monochrome)

        let clock = SystemClock()
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let remote = try RemoteAwareProber.make(config: config, http: http)
        // The hosts panel's states, read from the connections (none without `hosts:`).
        let pool = remote.pool
        var hostLinks: (@Sendable () -> [HostLink])?
        if !config.hosts.isEmpty { hostLinks = { @Sendable in pool.links } }
        let loop = DashboardLoop(
            config: config, terminal: session,
            probes: Poller(config: config, prober: remote.prober, unchangedLocks: .whenNeeded),
            history: HistoryRecorder(
                path: HistoryLocation.resolve(configured: config.historyPath), guarding: HistoryFileGuard(config: config), logFeed: remote.logFeed),
            actions: StopAndAudit(
                // Brokers with a `host:` are stopped on their host, through its connection.
                stopper: remote.stopRouter(local: StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis))),
                audit: AuditLog(path: AuditLog.defaultPath()), clock: clock,
                locking: .perStop(directory: GroupActionLock.defaultDirectory())),
            clock: clock,
            hostLinks: hostLinks, firstRunHint: firstRunHint)
        let reason = await loop.run()
        session.stop()
        // Leaving must never hang (a dashboard left behind by a dropped SSH session is worse
        // than a skipped goodbye): every record is already committed, lab brokers die with
        // their parent, so past this bound the process just exits.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: Self.exitBoundSeconds)
            StandardError.line("amqtop: shutdown took over \(Int(Self.exitBoundSeconds)) s; exiting")
            Foundation.exit(0)
        }
        await loop.shutdown()
        await remote.close()
        await afterTerminalRestored()
        await Self.shutdown(http)
        switch reason {
        case .signal(let number) where number != SIGINT:
            // SIGTERM / SIGHUP: the terminal is restored; say so on stderr for the log.
            StandardError.line("amqtop: stopped by signal \(number)")
        case .hangup:
            StandardError.line("amqtop: the terminal went away; stopped")
        default:
            break
        }
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

    /// The running binary, to find `Themes/` beside or above it.
    static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }
}
