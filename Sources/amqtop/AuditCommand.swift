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
        do {
            try json ? printJSON(log) : printTable(log)
        } catch let failure as AuditLog.Failure {
            StandardError.line("amqtop: audit log \(failure)")
            throw ExitCode(ExitCodes.unknown)
        }
    }

    /// Streams the entries as one JSON array, one encoded entry at a time (a 1 GB log is
    /// never held in memory).
    private func printJSON(_ log: AuditLog) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var count = 0
        StandardOutput.write(json: Data("[".utf8))
        try log.forEach({ entry in
            let encoded = try encoder.encode(entry)
            StandardOutput.write(json: Data((count == 0 ? "\n" : ",\n").utf8) + encoded)
            count += 1
        }, badLine: reportBad(log))
        StandardOutput.write(json: Data((count == 0 ? "]\n" : "\n]\n").utf8))
    }

    /// Two streaming passes: the first measures the columns, the second prints the rows, so
    /// memory stays bounded whatever the log's size.
    private func printTable(_ log: AuditLog) throws {
        let header = ["WHEN", "USER", "FROM", "GROUP", "BROKER", "METHOD", "RESULT", "DETAIL"]
        var widths = header.map(\.count)
        var count = 0
        try log.forEach({ entry in
            count += 1
            for (index, cell) in Self.cells(entry).enumerated() {
                widths[index] = min(Self.maxColumnWidth, max(widths[index], TerminalText.visible(cell).count))
            }
        }, badLine: reportBad(log))
        guard count > 0 else {
            StandardOutput.write("no actions recorded in \(log.path)\n")
            return
        }
        StandardOutput.write(Self.row(header, widths: widths) + "\n")
        var lines: [String] = []
        try log.forEach({ entry in
            lines.append(Self.row(Self.cells(entry), widths: widths))
            if lines.count >= 256 {
                StandardOutput.write(lines.joined(separator: "\n") + "\n")
                lines.removeAll(keepingCapacity: true)
            }
        }, badLine: { _ in })
        if !lines.isEmpty { StandardOutput.write(lines.joined(separator: "\n") + "\n") }
    }

    /// Wider cells are not cut, they only stop widening their column.
    static let maxColumnWidth = 40

    private func reportBad(_ log: AuditLog) -> (Int) -> Void {
        { line in StandardError.line("amqtop: \(log.path):\(line): not an audit entry, skipped") }
    }

    static func cells(_ entry: AuditEntry) -> [String] {
        [
            TimeFormat.dateTime(entry.atMillis), entry.user, entry.sshClient?.split(separator: " ").first.map(String.init) ?? entry.host,
            entry.group, entry.broker, entry.method, entry.result, entry.detail,
        ]
    }

    /// One row: cells made visible (no CR/LF or escape from the log reaches the terminal), padded.
    static func row(_ cells: [String], widths: [Int]) -> String {
        var text = ""
        for (index, raw) in cells.enumerated() {
            let cell = TerminalText.visible(raw)
            if index == cells.count - 1 {
                text += cell
            } else {
                text += cell + String(repeating: " ", count: max(0, widths[index] - cell.count)) + "  "
            }
        }
        while text.last == " " { text.removeLast() }
        return text
    }
}
