import AMQTopCore
import AMQTopLab
import AMQTopScreen
import AMQTopTerminal
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop demo`: a lab group in a temporary directory and the dashboard on it, in one go.
///
/// The lab brokers are separate processes of this binary (POSIX locks belong to processes);
/// quitting the dashboard, or SIGINT/SIGTERM/SIGHUP, stops every one of them and removes the
/// directory. With respawn on (the default), a stopped or killed master comes back as a slave,
/// so the demo keeps cycling through failovers for as long as the operator wants to drill; the
/// status line offers the first thing to try until the first stop.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a lab group and open the dashboard on it; quitting stops the lab.",
        discussion: """
            What it shows: three lab brokers (processes of this binary) sharing one lock file, as \
            ActiveMQ's shared-file master/slave brokers do. One holds the lock and serves (master, *); \
            the others wait for it (slaves, +). Each writes a pid file, so a stopped broker reads as a \
            stopped process (down, x).

            Keys to try:
              Enter   open the lab group: brokers, lock holder and age, history
              j/k     select a broker; select the master (* in the ROLE column)
              s       stop the selected broker (type its name, then Enter);
                      on the master, watch the failover, timed step by step
              Esc     back to the overview
              r       poll now
              ?       help
              q       quit: stops every lab broker and removes the lab directory

            A stopped or killed broker comes back as a slave after --respawn (default 8s, 0 = never), \
            and the status line says so ("lab1 is back, as a slave"); you can also kill -9 the pid \
            the lock panel shows. Durations accept 250ms, 2s, 5m or bare milliseconds.
            """
    )

    @Option(help: "How many brokers share the lock.")
    var brokers = 3

    @Option(name: .customLong("lock-keep-alive"), help: "lockKeepAlivePeriod (0 = off).")
    var lockKeepAlive = "2s"

    @Option(name: .customLong("lock-acquire-interval"), help: "lockAcquireSleepInterval: how often slaves retry.")
    var lockAcquireInterval = "1s"

    @Flag(name: .customLong("silent-slaves"), help: "Slaves do not answer HTTP until they become master.")
    var silentSlaves = false

    @Option(help: "Restart a stopped or killed broker after this long (0 = never).")
    var respawn = "8s"

    @Option(name: .customLong("password-file"), help: "Protect Jolokia with Basic auth (user admin), password read from this file.")
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("A theme name or a YAML file (see `amqtop --help`).", valueName: "NAME|PATH"))
    var theme: String?

    func run() async throws {
        let options = try labOptions()
        let environment = ProcessInfo.processInfo.environment
        // Before any broker starts: a demo that cannot draw must not leave processes behind.
        if let problem = TerminalCheck.problemHere(environment: environment) {
            StandardError.lines(problem)
            throw ExitCode(ExitCodes.unknown)
        }
        if let theme {
            let loader = ThemeLoader(environment: environment, executablePath: DashboardCommand.executablePath())
            do {
                _ = try loader.load(theme)
            } catch let error as ThemeError {
                StandardError.line("amqtop: theme: \(error)")
                throw ExitCode(ExitCodes.unknown)
            }
        }

        // The dashboard traps these once curses is up; until then they are only recorded (a C
        // handler, so the dashboard's trap stays the only dispatch source for them), and the
        // demo never dies between starting its brokers and removing their directory. The
        // dashboard leaves them ignored when it ends, so a second Ctrl-C cannot interrupt the
        // lab's shutdown either.
        SignalTrap.recordEarly([SIGINT, SIGTERM, SIGHUP])

        let lab = try LabGroup(options: options)
        var stopped = false
        let stopLab = {
            guard !stopped else { return }
            stopped = true
            await lab.stop()
            try? FileManager.default.removeItem(atPath: lab.directory)
        }
        do {
            try await lab.start()
            let config = try ConfigLoader().load(path: lab.configPath)
            if SignalTrap.earlyArrival == nil {
                try await DashboardCommand.run(config: config, theme: theme, firstRunHint: true, afterTerminalRestored: stopLab)
            }
        } catch let error as ConfigError {
            await stopLab()
            throw ExitCodes.configFailure(error)
        } catch {
            await stopLab()
            throw error
        }
        await stopLab()
        // Not FileHandle.write(_:): stderr may be a terminal that went away (it traps on EIO).
        StandardError.line("amqtop demo: stopped \(EnglishText.count(options.brokerCount, "lab broker")) and removed \(lab.directory)")
    }

    /// The lab's options from the flags; refuses bad durations before anything starts.
    func labOptions() throws -> LabGroupOptions {
        let respawnMillis = try LabCommand.milliseconds(respawn, flag: "--respawn")
        return LabGroupOptions(
            brokerCount: brokers,
            directory: nil,
            lockKeepAlivePeriodMillis: try LabCommand.milliseconds(lockKeepAlive, flag: "--lock-keep-alive"),
            lockAcquireSleepIntervalMillis: try LabCommand.milliseconds(lockAcquireInterval, flag: "--lock-acquire-interval"),
            silentSlaves: silentSlaves,
            respawnDelayMillis: respawnMillis > 0 ? respawnMillis : nil,
            password: try passwordFile.map(LabCommand.readPassword),
            executablePath: LabGroup.currentExecutablePath(),
            groupName: "lab"
        )
    }
}
