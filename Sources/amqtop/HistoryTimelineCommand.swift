import AMQTopCore
import AMQTopHistory
import ArgumentParser
import Foundation

/// `amqtop history --timeline`: the tenure timeline of each group as text.
extension HistoryListCommand {
    func runTimeline() throws {
        let nowMillis = TimeFormat.nowMillis()
        let window = TimelineWindow.parse(self.window) ?? .day
        let path: String
        let guarding: HistoryFileGuard
        do {
            (path, guarding) = try HistoryCommand.historyFile(history: files.history, config: files.config)
        } catch let error as ConfigError {
            throw ExitCodes.configFailure(error)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            StandardError.line("amqtop: no history file at \(path) yet")
            StandardOutput.write("No history recorded yet.\n")
            return
        }
        let since = nowMillis - window.millis
        let timelines: [TenureTimeline]
        do {
            let store = try HistoryStore(path: path, guarding: guarding)
            // Tenures from any time that reach into the window; the detector's records per group.
            let tenures = try store.tenures(group: group).filter { ($0.endedAtMillis ?? nowMillis) >= since }
            let failovers = try store.failovers(group: group, sinceMillis: since - window.millis)
            let splitBrains = try store.splitBrains(group: group).filter { ($0.endedAtMillis ?? nowMillis) >= since }
            let configured = (try? configuredBrokers()) ?? []
            var names = configured.map(\.group)
            for name in tenures.map(\.group) + failovers.map(\.group) + splitBrains.map(\.group) where !names.contains(name) {
                names.append(name)
            }
            if let group { names = names.filter { $0 == group } }
            timelines = names.map { name in
                TenureTimeline.build(
                    group: name, window: window, nowMillis: nowMillis, configured: configured.first { $0.group == name }?.brokers ?? [],
                    history: TimelineHistory(
                        tenures: tenures.filter { $0.group == name }, failovers: failovers.filter { $0.group == name },
                        splitBrains: splitBrains.filter { $0.group == name }),
                    live: nil)
            }
        } catch {
            StandardError.line("amqtop: \(error)")
            throw ExitCode(ExitCodes.unknown)
        }
        StandardOutput.write(TimelineText.render(timelines))
    }

    /// Each configured group's brokers in configuration order (so letters match the dashboard's); empty without a configuration.
    private func configuredBrokers() throws -> [(group: String, brokers: [String])] {
        let loader = ConfigLoader()
        guard let file = files.config ?? loader.defaultPath() else { return [] }
        return try loader.load(path: file).groups.map { ($0.name, $0.brokers.map(\.name)) }
    }
}
