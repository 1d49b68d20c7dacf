import AMQTopCore
import AMQTopHistory
import ArgumentParser

/// `amqtop history`: the failover history: `list` (the default) prints it, `import` adds
/// what the brokers' own logs tell.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print recorded failovers (list, the default), or import them from broker logs (import).",
        subcommands: [HistoryListCommand.self, HistoryImportCommand.self],
        defaultSubcommand: HistoryListCommand.self
    )

    /// `--history`, else the configuration's `history:`, else the XDG default.
    ///
    /// A configuration is only looked for when `--history` is not given, so history works
    /// with no configuration at all.
    static func historyPath(history: String?, config: String?) throws -> String {
        if let history { return history }
        let loader = ConfigLoader()
        if let config {
            return HistoryLocation.resolve(configured: try loader.load(path: config).historyPath)
        }
        if let found = loader.defaultPath() {
            return HistoryLocation.resolve(configured: try loader.load(path: found).historyPath)
        }
        return HistoryLocation.defaultPath()
    }
}
