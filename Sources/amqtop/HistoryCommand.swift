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

    /// `--history`, else the configuration's `history:`, else the XDG default; and the
    /// configuration's lock files, which the history must never be.
    ///
    /// With `--history` a configuration is still read for its lock files, but one found by
    /// default that cannot be loaded is passed over, so history works with no (or a broken)
    /// configuration; `HistoryFileGuard` refuses a locked broker's file without one anyway.
    static func historyFile(history: String?, config: String?) throws -> (path: String, guarding: HistoryFileGuard) {
        let loader = ConfigLoader()
        let loaded: AppConfig?
        if let config {
            loaded = try loader.load(path: config)
        } else if let found = loader.defaultPath() {
            loaded = history == nil ? try loader.load(path: found) : try? loader.load(path: found)
        } else {
            loaded = nil
        }
        let path = history ?? (loaded.map { HistoryLocation.resolve(configured: $0.historyPath) } ?? HistoryLocation.defaultPath())
        return (path, HistoryFileGuard(config: loaded))
    }
}
