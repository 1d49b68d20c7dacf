import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import AMQTopRemote
import ArgumentParser
import Foundation

/// `amqtop history import FILE...`: rebuilds tenures and failovers from ActiveMQ's own logs
/// (upstream pattern `%d | %-5p | %m | %c | %t%n`; rotated `activemq.log.1` and gzip files
/// too) into the history file, beside what dashboards recorded live, without duplicates.
struct HistoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import failovers and tenures from brokers' activemq.log files into the history.",
        discussion: """
            Each log belongs to the broker whose brokerName its lines name (the configured broker \
            with that brokerName, else that name), in that broker's group of the configuration \
            (--config, ./amqtop.yaml, $XDG_CONFIG_HOME/amqtop/config.yaml); --group puts every log \
            in one group. HOST:PATH reads the file on a host of the configuration's hosts: list, \
            through its SSH session (read-only). Rotated parts (activemq.log.1, activemq.log.2.gz) go with their live file. \
            A takeover a dashboard already recorded is found by its lock acquisition and told its \
            cause (crash, shutdown, lockLost); importing the same logs again adds nothing. Lines \
            outside the log pattern are counted, not fatal. Times in the logs are read in the local \
            zone unless --timezone says which (an IANA name, UTC, or +02:00). Exit 0 when every \
            file was imported, 1 when a file was unreadable or could not be placed, 3 when the \
            configuration or the history file could not be used.
            """
    )

    @Argument(help: ArgumentHelp("Broker log files (plain or gzip), local or HOST:PATH for a host of hosts:.", valueName: "FILE"))
    var files: [String]

    @OptionGroup var options: HistoryFileOptions

    @Option(help: ArgumentHelp("Put every log in this group.", valueName: "NAME"))
    var group: String?

    @Option(help: ArgumentHelp("The zone the brokers wrote their logs in.", valueName: "ZONE"))
    var timezone: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one log file") }
        if let timezone, Self.zone(timezone) == nil {
            throw ValidationError("--timezone: not a zone (Europe/Paris, UTC, +02:00): \(timezone)")
        }
    }

    func run() async throws {
        let nowMillis = TimeFormat.nowMillis()
        let zone = timezone.flatMap(Self.zone) ?? .current
        let appConfig: AppConfig?
        let path: String
        do {
            appConfig = try loadConfig()
            path = options.history ?? HistoryLocation.resolve(configured: appConfig?.historyPath)
        } catch let error as ConfigError {
            throw ExitCodes.configFailure(error)
        }
        guard appConfig != nil || group != nil else {
            StandardError.line("amqtop: history import: no configuration to place the logs in groups: give --config FILE or --group NAME")
            throw ExitCode(ExitCodes.unknown)
        }

        var failed = false
        var scans: [BrokerLogScan] = []
        let reader = BrokerLogFileReader()
        let remote = try await RemoteLogFiles.open(files, config: appConfig)
        for file in files {
            do {
                var text: String?
                if let remote { text = try await remote.text(of: file, reader: reader) }
                if text == nil, let host = BrokerFileLoader.remoteHost(file), !FileManager.default.fileExists(atPath: file),
                   !(appConfig?.hosts.contains { $0.name == host } ?? false) {
                    StandardError.line("amqtop: history import: \(file): no such file here, and \(host) is in no hosts: list of the configuration")
                    failed = true
                    continue
                }
                scans.append(BrokerLogScan.scan(path: file, text: try text ?? reader.read(file), timeZone: zone))
            } catch {
                StandardError.line("amqtop: history import: \(error)")
                failed = true
            }
        }
        await remote?.close()
        let assignment = BrokerLogAssignment.assign(scans, groups: appConfig?.groups ?? [], forcedGroup: group)
        for note in assignment.notes { StandardError.line("amqtop: history import: \(note)") }
        for problem in assignment.problems {
            StandardError.line("amqtop: history import: \(problem)")
            failed = true
        }

        var lines: [String] = []
        do {
            let store = try HistoryStore(path: path, guarding: HistoryFileGuard(config: appConfig))
            let importer = HistoryLogImporter()
            for (name, logs) in assignment.groups {
                let tenures = LogHistoryReconstructor.tenures(logs)
                let summary = try importer.importTenures(tenures, group: name, into: store, nowMillis: nowMillis)
                lines.append(Self.describe(summary))
            }
        } catch {
            StandardError.line("amqtop: history import: \(error)")
            throw ExitCode(ExitCodes.unknown)
        }
        let unknown = scans.reduce(0) { $0 + $1.unknownLines }
        let total = scans.reduce(0) { $0 + $1.lineCount }
        lines.append("read \(scans.count) of \(files.count) files, \(total) lines, \(unknown) not in the log pattern (counted, skipped); history \(path)")
        StandardOutput.write(lines.joined(separator: "\n") + "\n")
        if failed { throw ExitCode(1) }
    }

    /// `orders: 3 takeovers in 4 tenures (crash 1, shutdown 1, lockLost 1): ...`.
    static func describe(_ summary: HistoryLogImporter.Summary) -> String {
        let causes = FailoverCause.allCases.compactMap { cause in summary.causes[cause].map { "\(cause.rawValue) \($0)" } }
        let causeText = causes.isEmpty ? "" : " (\(causes.joined(separator: ", ")))"
        return "\(summary.group): \(summary.takeovers) takeovers in \(summary.tenures) tenures\(causeText): "
            + "\(summary.matchedLive) matched live records, \(summary.alreadyImported) already imported, \(summary.added) added"
    }

    /// `--config`, else the default configuration if there is one; nil when there is none.
    private func loadConfig() throws -> AppConfig? {
        let loader = ConfigLoader()
        if let config = options.config { return try loader.load(path: config) }
        if let found = loader.defaultPath() { return try loader.load(path: found) }
        return nil
    }

    /// An IANA zone, `UTC`/`Z`, or a fixed offset `+02:00` / `-0530`.
    static func zone(_ text: String) -> TimeZone? {
        if text == "Z" { return TimeZone(identifier: "UTC") }
        if let first = text.first, first == "+" || first == "-" {
            let digits = text.dropFirst().filter { $0 != ":" }
            guard digits.count == 4 || digits.count == 2, digits.allSatisfy(\.isNumber),
                  let hours = Int(digits.prefix(2)), let minutes = Int(digits.dropFirst(2).isEmpty ? "0" : String(digits.dropFirst(2))),
                  hours <= 14, minutes < 60 else { return nil }
            let seconds = (hours * 3600 + minutes * 60) * (first == "-" ? -1 : 1)
            return TimeZone(secondsFromGMT: seconds)
        }
        return TimeZone(identifier: text)
    }
}
