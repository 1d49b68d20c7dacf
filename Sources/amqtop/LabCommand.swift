import AMQTopCore
import AMQTopLab
import ArgumentParser
import Foundation

/// `amqtop lab`: runs a group of lab brokers around one shared lock directory until Ctrl-C.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run a group of lab brokers that follow ActiveMQ's shared-file lock protocol.",
        discussion: """
            Starts lab brokers as separate processes around one lock file, writes DIR/amqtop.yaml \
            for the group, and stops them all on Ctrl-C. Durations accept 250ms, 2s, 5m or bare milliseconds.
            """
    )

    @Option(help: "How many brokers share the lock.")
    var brokers = 3

    @Option(help: "The shared directory: a new or empty one, or one an earlier amqtop lab made (default: a new one under $XDG_RUNTIME_DIR/amqtop/labs, removed by a later lab once its owner is gone).")
    var dir: String?

    @Option(name: .customLong("lock-keep-alive"), help: "lockKeepAlivePeriod (0 = off).")
    var lockKeepAlive = "2s"

    @Option(name: .customLong("lock-acquire-interval"), help: "lockAcquireSleepInterval: how often slaves retry.")
    var lockAcquireInterval = "1s"

    @Flag(name: .customLong("silent-slaves"), help: "Slaves do not answer HTTP until they become master.")
    var silentSlaves = false

    @Option(help: "Restart a stopped or killed broker after this long.")
    var respawn: String?

    @Option(name: .customLong("password-file"), help: "Protect Jolokia with Basic auth (user admin), password read from this file.")
    var passwordFile: String?

    func run() async throws {
        let options = LabGroupOptions(
            brokerCount: brokers,
            directory: dir,
            lockKeepAlivePeriodMillis: try Self.milliseconds(lockKeepAlive, flag: "--lock-keep-alive"),
            lockAcquireSleepIntervalMillis: try Self.milliseconds(lockAcquireInterval, flag: "--lock-acquire-interval"),
            silentSlaves: silentSlaves,
            respawnDelayMillis: try respawn.map { try Self.milliseconds($0, flag: "--respawn") },
            password: try passwordFile.map(Self.readPassword),
            executablePath: LabGroup.currentExecutablePath()
        )
        let group = try LabGroup(options: options)
        try await group.runUntilSignalled()
    }

    static func milliseconds(_ text: String, flag: String) throws -> Int64 {
        guard let millis = DurationParser.milliseconds(text) else {
            throw ValidationError("\(flag): not a duration: \(text) (use 250ms, 2s, 5m or milliseconds)")
        }
        return millis
    }

    static func readPassword(_ path: String) throws -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.trimmingCharacters(in: .newlines)
        } catch {
            throw ValidationError("--password-file: cannot read \(path): \(error.localizedDescription)")
        }
    }
}
