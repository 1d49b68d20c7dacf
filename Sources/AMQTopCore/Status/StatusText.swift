import Foundation

/// The plain-text table of `amqtop status`, readable in a terminal, a log or `watch`.
public enum StatusText {
    /// The whole report as lines of text.
    ///
    /// Every line is passed through `TerminalText.visible`, so a CR, LF or escape in a name,
    /// path or endpoint answer is shown, not executed, and cannot forge a row.
    public static func render(_ report: StatusReport) -> String {
        var lines: [String] = []
        let brokerCount = report.entries.reduce(0) { $0 + $1.config.brokers.count }
        lines.append("amqtop status: \(report.status.word) - \(report.entries.count) group\(report.entries.count == 1 ? "" : "s"), \(brokerCount) broker\(brokerCount == 1 ? "" : "s") at \(TimeFormat.dateTime(report.nowMillis))")
        for entry in report.entries {
            lines.append("")
            lines.append(contentsOf: group(entry, nowMillis: report.nowMillis))
        }
        return lines.map(TerminalText.visible).joined(separator: "\n") + "\n"
    }

    static func group(_ entry: StatusReport.Entry, nowMillis: Int64) -> [String] {
        let a = entry.assessment
        let c = entry.config
        var lines = ["GROUP \(c.name)  \(a.status.word)  master: \(a.master ?? (a.masters.isEmpty ? "NONE" : a.masters.joined(separator: "+")))"]
        lines.append("  lock: " + lockLine(entry, nowMillis: nowMillis))
        let keepAlive = c.lockKeepAlivePeriodMillis.map { $0 == 0 ? "off" : DurationFormat.setting($0) } ?? "unknown"
        lines.append("  keep-alive: \(keepAlive)  acquire interval: \(DurationFormat.setting(c.lockAcquireSleepIntervalMillis))  worst-case failover: ~\(DurationFormat.short(a.expectedWorstCaseFailoverMillis))")
        // The columns and their cells are declared once, in `BrokerColumn.tableOrder`.
        let columns = BrokerColumn.textColumns
        var rows = [columns.map { $0.header ?? $0.key }]
        for broker in c.brokers {
            let row = BrokerRow(config: broker, group: entry.observation, assessment: a)
            rows.append(columns.map { $0.text(row) ?? "-" })
        }
        lines.append(contentsOf: table(rows).map { "  " + $0 })
        if a.alerts.isEmpty {
            lines.append("  no alerts")
        }
        for alert in a.alerts {
            lines.append("  \(alert.severity.word) \(alert.code.rawValue): \(alert.message)")
            lines.append("    -> \(alert.action)")
        }
        return lines
    }

    static func lockLine(_ entry: StatusReport.Entry, nowMillis: Int64) -> String {
        guard let lock = entry.observation.lock else {
            return entry.config.lockFile.map { "\($0) (not read)" } ?? "not configured"
        }
        var parts = [lock.path]
        if lock.state != .ok { parts.append(lock.state.summary) }
        switch lock.holder {
        case .pid(let pid): parts.append("held by pid \(pid)" + (entry.assessment.lockHolderBroker.map { " (\($0))" } ?? ""))
        case .elsewhere: parts.append("held, holder on another host")
        case .free: parts.append("free")
        case .unknown(let why): parts.append("holder unknown (\(why))")
        }
        if let acquired = lock.acquiredAtMillis {
            parts.append("acquired \(TimeFormat.dateTime(acquired)) (\(DurationFormat.short(lock.ageMillis(nowMillis: nowMillis) ?? 0)) ago)")
        } else if let raw = lock.implausibleTimestampMillis {
            parts.append("timestamp IMPLAUSIBLE (\(raw): \(LockFileSnapshot.timestampProblem(raw, atMillis: lock.atMillis) ?? "no time"))")
        }
        if lock.mtimeMatchesTimestamp == false { parts.append("MTIME CHANGED") }
        if let fs = lock.filesystem {
            parts.append("on \(fs.type)" + (fs.nfsVersion.map { " vers=\($0)" } ?? ""))
        }
        return parts.joined(separator: ", ")
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    ///
    /// Cells are made visible (`TerminalText.visible`) before they are measured, so a line
    /// break inside one cannot start a row of its own and the columns stay aligned.
    public static func table(_ cells: [[String]]) -> [String] {
        let rows = cells.map { $0.map(TerminalText.visible) }
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() where i < width - 1 { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i < width - 1 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) : cell }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
