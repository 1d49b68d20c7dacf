import AMQTopCore
import AMQTopHistory
import ArgumentParser
import Foundation

/// `amqtop history [list]`: prints the recorded failovers and, per group, their count and the
/// mean and maximum time without a master.
struct HistoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print recorded failovers, with count and mean/max time without master per group.",
        discussion: """
            Reads the history file the dashboard writes: --history FILE, else `history:` from the \
            configuration (--config, ./amqtop.yaml, $XDG_CONFIG_HOME/amqtop/config.yaml), else \
            $XDG_STATE_HOME/amqtop/history.sqlite (~/.local/state/amqtop/ when unset). --since takes \
            a span back from now (24h, 7d) or a date (2026-11-20, "2026-11-20 14:30", ISO 8601). \
            --timeline prints who held each group's lock over --window (1h, 1d or 1w) as a strip \
            of broker letters and marks, with its legend and every gap's length, to paste into a postmortem.
            """
    )

    @OptionGroup var files: HistoryFileOptions

    @Option(help: ArgumentHelp("Only this group.", valueName: "NAME"))
    var group: String?

    @Option(help: ArgumentHelp("Only failovers from then on: 24h, 7d, or a date.", valueName: "SPAN|DATE"))
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print CSV (failovers only, with a header).")
    var csv = false

    @Flag(help: "Print who held each group's lock as a timeline strip, with a legend and the gaps' lengths (for a postmortem).")
    var timeline = false

    @Option(help: ArgumentHelp("The timeline's window, back from now: 1h, 1d or 1w.", valueName: "1h|1d|1w"))
    var window: String = "1d"

    func validate() throws {
        if json && csv { throw ValidationError("give --json or --csv, not both") }
        if timeline && (json || csv) { throw ValidationError("--timeline prints text: give it without --json or --csv") }
        if TimelineWindow.parse(window) == nil { throw ValidationError("--window: not 1h, 1d or 1w: \(window)") }
    }

    func run() throws {
        if timeline { return try runTimeline() }
        let nowMillis = TimeFormat.nowMillis()
        var sinceMillis: Int64?
        if let since {
            guard let parsed = HistorySince.parse(since, nowMillis: nowMillis) else {
                throw ValidationError("--since: not a span (24h, 7d) or a date (2026-11-20): \(since)")
            }
            sinceMillis = parsed
        }
        let path: String
        let guarding: HistoryFileGuard
        do {
            (path, guarding) = try HistoryCommand.historyFile(history: files.history, config: files.config)
        } catch let error as ConfigError {
            throw ExitCodes.configFailure(error)
        }

        var report = FailoverHistoryReport(failovers: [], sinceMillis: sinceMillis, source: path)
        if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try HistoryStore(path: path, guarding: guarding)
                report.failovers = try store.failovers(group: group, sinceMillis: sinceMillis)
                report.splitBrains = try store.splitBrains(group: group, sinceMillis: sinceMillis)
            } catch {
                // Reading never sets a file aside: that is the dashboard's call, which keeps monitoring.
                StandardError.line("amqtop: \(error)")
                throw ExitCode(ExitCodes.unknown)
            }
        } else if !json && !csv {
            StandardError.line("amqtop: no history file at \(path) yet")
        }

        let output: String
        if json {
            output = report.json().serialized() + "\n"
        } else if csv {
            output = report.csv()
        } else {
            output = report.text()
        }
        StandardOutput.write(output)
    }
}
