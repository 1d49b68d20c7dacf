import Foundation

/// What `amqtop history` prints: the failovers, per-group statistics and split-brain episodes,
/// as a table, JSON or CSV.
///
/// Pure formatting over records already read, so the output is tested without a database.
public struct FailoverHistoryReport: Sendable {
    /// Oldest first.
    public var failovers: [FailoverEvent]
    /// Oldest first.
    public var splitBrains: [SplitBrainEpisode]
    /// The start of the period shown, when limited.
    public var sinceMillis: Int64?
    /// The file the records came from, for the text header.
    public var source: String?

    public init(failovers: [FailoverEvent], splitBrains: [SplitBrainEpisode] = [], sinceMillis: Int64? = nil, source: String? = nil) {
        self.failovers = failovers
        self.splitBrains = splitBrains
        self.sinceMillis = sinceMillis
        self.source = source
    }

    /// Count and mean/max time without master per group.
    public var statistics: [GroupFailoverStatistics] { GroupFailoverStatistics.of(failovers) }

    // MARK: - Text

    /// Aligned tables for a terminal, times in the local zone.
    public func text(timeZone: TimeZone = .current) -> String {
        var lines: [String] = []
        let period = sinceMillis.map { " since \(TimeFormat.dateTime($0, timeZone: timeZone))" } ?? ""
        if failovers.isEmpty {
            lines.append("No failovers recorded\(period).")
        } else {
            lines.append("Failovers\(period):")
            let rows = failovers.map { event in
                [
                    TimeFormat.dateTime(event.atMillis, timeZone: timeZone), event.group, event.fromBroker ?? "?",
                    event.toBroker ?? "?",
                    event.timeWithoutMasterMillis.map(DurationFormat.short) ?? (event.isComplete ? "-" : "in progress"),
                    event.takeoverMillis.map(DurationFormat.short) ?? "-", event.cause.rawValue, event.source.rawValue,
                    // Stored printable (LogText), cleaned again: the file may come from elsewhere.
                    event.causeDetail.map { LogText.printable($0) } ?? "",
                ]
            }
            lines += Self.table(
                header: ["WHEN", "GROUP", "FROM", "TO", "WITHOUT MASTER", "TAKEOVER", "CAUSE", "SOURCE", "WHY"], rows: rows)
            lines.append("")
            let statRows = statistics.map { stat in
                [
                    stat.group, String(stat.count), stat.meanTimeWithoutMasterMillis.map(DurationFormat.short) ?? "-",
                    stat.maxTimeWithoutMasterMillis.map(DurationFormat.short) ?? "-",
                ]
            }
            lines += Self.table(header: ["GROUP", "FAILOVERS", "MEAN WITHOUT MASTER", "MAX WITHOUT MASTER"], rows: statRows)
        }
        if !splitBrains.isEmpty {
            lines.append("")
            lines.append("Split brain (more than one master at once):")
            for episode in splitBrains {
                let span = episode.endedAtMillis.map { "for \(DurationFormat.short($0 - episode.startedAtMillis))" } ?? "ongoing"
                lines.append(
                    "  \(TimeFormat.dateTime(episode.startedAtMillis, timeZone: timeZone))  \(episode.group)  "
                        + "\(episode.brokers.joined(separator: "+"))  \(span)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func table(header: [String], rows: [[String]]) -> [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return padded.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }

    // MARK: - JSON

    /// The whole report as JSON: instants in epoch ms and ISO 8601 UTC, `null` where unknown.
    public func json() -> OrderedJSON {
        .object([
            ("since", sinceMillis.map { .string(TimeFormat.iso($0)) } ?? .null),
            ("failovers", .array(failovers.map(Self.json))),
            ("groups", .array(statistics.map { stat in
                .object([
                    ("group", .string(stat.group)),
                    ("failovers", .int(Int64(stat.count))),
                    ("measured", .int(Int64(stat.measuredCount))),
                    ("meanTimeWithoutMasterMillis", .int(stat.meanTimeWithoutMasterMillis)),
                    ("maxTimeWithoutMasterMillis", .int(stat.maxTimeWithoutMasterMillis)),
                ])
            })),
            ("splitBrains", .array(splitBrains.map { episode in
                .object([
                    ("group", .string(episode.group)),
                    ("brokers", .array(episode.brokers.map { .string($0) })),
                    ("startedAtMillis", .int(episode.startedAtMillis)),
                    ("startedAt", .string(TimeFormat.iso(episode.startedAtMillis))),
                    ("endedAtMillis", .int(episode.endedAtMillis)),
                    ("lockAcquiredAtMillis", .int(episode.lockAcquiredAtMillis)),
                ])
            })),
        ])
    }

    /// One failover as JSON, phases by name.
    public static func json(_ event: FailoverEvent) -> OrderedJSON {
        func phase(_ stamp: PhaseStamp?) -> OrderedJSON {
            guard let stamp else { return .null }
            return .object([
                ("atMillis", .int(stamp.atMillis)), ("at", .string(TimeFormat.iso(stamp.atMillis))),
                ("signal", .string(stamp.signal.rawValue)),
            ])
        }
        return .object([
            ("group", .string(event.group)),
            ("key", .string(event.key)),
            ("atMillis", .int(event.atMillis)),
            ("at", .string(TimeFormat.iso(event.atMillis))),
            ("from", .string(event.fromBroker)),
            ("to", .string(event.toBroker)),
            ("cause", .string(event.cause.rawValue)),
            ("causeDetail", .string(event.causeDetail)),
            ("source", .string(event.source.rawValue)),
            ("complete", .bool(event.isComplete)),
            ("timeWithoutMasterMillis", .int(event.timeWithoutMasterMillis)),
            ("takeoverMillis", .int(event.takeoverMillis)),
            ("lockWaitMillis", .int(event.lockWaitMillis)),
            ("stopSentAtMillis", .int(event.stopSentAtMillis)),
            ("detectedAtMillis", .int(event.detectedAtMillis)),
            ("phases", .object([
                ("oldMasterLastServing", phase(event.oldMasterLastServing)),
                ("oldMasterGone", phase(event.oldMasterGone)),
                ("lockFree", phase(event.lockFree)),
                ("lockAcquired", phase(event.lockAcquired)),
                ("newMasterServing", phase(event.newMasterServing)),
            ])),
        ])
    }

    // MARK: - CSV

    /// The CSV header row.
    public static let csvHeader = [
        "at", "group", "from", "to", "time_without_master_ms", "takeover_ms", "cause", "complete",
        "old_master_last_serving_at", "old_master_last_serving_signal", "old_master_gone_at", "old_master_gone_signal",
        "lock_free_at", "lock_acquired_at", "new_master_serving_at", "new_master_serving_signal", "stop_sent_at", "key",
        "cause_detail", "source",
    ]

    /// One line per failover after a header; instants in ISO 8601 UTC (RFC 4180 quoting).
    public func csv() -> String {
        var lines = [Self.csvHeader.joined(separator: ",")]
        for event in failovers {
            let iso: (Int64?) -> String = { $0.map(TimeFormat.iso) ?? "" }
            let fields: [String] = [
                TimeFormat.iso(event.atMillis), event.group, event.fromBroker ?? "", event.toBroker ?? "",
                event.timeWithoutMasterMillis.map(String.init) ?? "", event.takeoverMillis.map(String.init) ?? "",
                event.cause.rawValue, event.isComplete ? "true" : "false",
                iso(event.oldMasterLastServing?.atMillis), event.oldMasterLastServing?.signal.rawValue ?? "",
                iso(event.oldMasterGone?.atMillis), event.oldMasterGone?.signal.rawValue ?? "",
                iso(event.lockFree?.atMillis), iso(event.lockAcquired?.atMillis),
                iso(event.newMasterServing?.atMillis), event.newMasterServing?.signal.rawValue ?? "",
                iso(event.stopSentAtMillis), event.key, event.causeDetail ?? "", event.source.rawValue,
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
