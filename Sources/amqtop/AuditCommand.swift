import AMQTopActions
import AMQTopCore
import ArgumentParser
import Foundation

/// `amqtop audit`: every stop amqtop attempted, who asked, and what happened.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log of actions (stops and drills).")

    @Option(name: .long, help: ArgumentHelp("The audit log (default: $XDG_STATE_HOME/amqtop/audit.log).", valueName: "FILE"))
    var file: String?

    @Flag(name: .long, help: "One JSON array instead of the table.")
    var json = false

    func run() throws {
        let log = AuditLog(path: file ?? AuditLog.defaultPath())
        let (entries, badLines) = try log.read()
        for line in badLines {
            StandardError.line("amqtop: \(log.path):\(line): not an audit entry, skipped")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            StandardOutput.write(try encoder.encode(entries) + Data("\n".utf8))
            return
        }
        guard !entries.isEmpty else {
            print("no actions recorded in \(log.path)")
            return
        }
        var rows = [["WHEN", "USER", "FROM", "GROUP", "BROKER", "METHOD", "RESULT", "DETAIL"]]
        for entry in entries {
            rows.append([
                TimeFormat.dateTime(entry.atMillis), entry.user, entry.sshClient?.split(separator: " ").first.map(String.init) ?? entry.host,
                entry.group, entry.broker, entry.method, entry.result, entry.detail,
            ])
        }
        print(StatusText.table(rows).joined(separator: "\n"))
    }
}
