import Foundation

/// Tenure timelines as plain text: the strip, a time axis, a legend naming each letter's
/// broker, and the gaps, failovers and split brains with their lengths spelled out.
///
/// What `amqtop history --timeline` prints, to paste into a postmortem; the screen's widget
/// uses the same legend, axis and summary so both say the same.
public enum TimelineText {
    /// The default strip width of the text form (fits a mail or a ticket).
    public static let defaultWidth = 72

    /// Every timeline, one block each, times in `timeZone`.
    public static func render(_ timelines: [TenureTimeline], width: Int = defaultWidth, timeZone: TimeZone = .current) -> String {
        var blocks: [String] = []
        for timeline in timelines {
            blocks.append(block(timeline, width: width, timeZone: timeZone).joined(separator: "\n"))
        }
        if blocks.isEmpty { return "No groups to show.\n" }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// One group's block.
    static func block(_ timeline: TenureTimeline, width: Int, timeZone: TimeZone) -> [String] {
        let columns = max(10, width)
        let dateTime = { (millis: Int64) in TimeFormat.dateTime(millis, timeZone: timeZone) }
        let zone = timeZone.abbreviation() ?? timeZone.identifier
        var lines = [
            "\(timeline.group): who held the lock, \(timeline.window.label) "
                + "(\(dateTime(timeline.startMillis)) to \(dateTime(timeline.nowMillis)) \(zone); one column = \(DurationFormat.short(timeline.window.millis / Int64(columns))))",
        ]
        lines.append(axis(timeline, width: columns, label: { tickLabel(dateTime: dateTime($0), window: timeline.window) }))
        let letters = timeline.letters
        lines.append(timeline.columns(count: columns).map { $0.character(letters: letters) }.joined())
        lines.append("legend: " + legend(timeline))
        lines.append("marks: " + TimelineColumn.markLegend.map { "\($0.mark) \($0.meaning)" }.joined(separator: ", "))
        lines.append("held: " + held(timeline))
        let gaps = timeline.gaps
        lines.append("without master: " + gapSummary(timeline))
        for gap in gaps {
            lines.append("  \(dateTime(gap.startMillis)) to \(TimeFormat.clock(gap.endMillis, timeZone: timeZone))  \(DurationFormat.short(gap.millis))")
        }
        lines.append("failovers: \(timeline.marks.count)")
        for mark in timeline.marks {
            let noMaster = mark.noMasterMillis.map { "no master \(DurationFormat.short($0))" } ?? "in progress"
            lines.append("  \(dateTime(mark.atMillis))  \(TimelineColumn.mark(mark.cause)) \(mark.cause.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(mark.from ?? "?") -> \(mark.to ?? "?")  \(noMaster)")
        }
        let splits = timeline.splitBrains
        if !splits.isEmpty {
            lines.append("split brain: \(splits.count)")
            for split in splits {
                guard case .splitBrain(let brokers) = split.kind else { continue }
                lines.append("  \(dateTime(split.startMillis)) to \(TimeFormat.clock(split.endMillis, timeZone: timeZone))  \(DurationFormat.short(split.millis))  \(brokers.joined(separator: " + "))")
            }
        }
        return lines
    }

    /// `A b1, B b2, C b3`: each letter with its broker.
    public static func legend(_ timeline: TenureTimeline) -> String {
        zip(timeline.letters, timeline.brokers).map { "\($0) \($1)" }.joined(separator: ", ")
    }

    /// `b1 3d2h, b2 1d4h, not watched 2h`: how long each broker held the lock in the window.
    public static func held(_ timeline: TenureTimeline) -> String {
        let held = timeline.heldMillis
        var parts = timeline.brokers.indices.compactMap { index in held[index].map { "\(timeline.brokers[index]) \(DurationFormat.short($0))" } }
        if parts.isEmpty { parts.append("nobody seen holding it") }
        let notWatched = timeline.notWatchedMillis
        if notWatched > 0 { parts.append("not watched \(DurationFormat.short(notWatched))") }
        return parts.joined(separator: ", ")
    }

    /// `3 gaps, 2h31m in all, longest 2h30m` (or `none`), then `no master now` when that is live.
    public static func gapSummary(_ timeline: TenureTimeline) -> String {
        let gaps = timeline.gaps
        let recorded: String
        if let longest = gaps.map(\.millis).max() {
            let total = gaps.reduce(0) { $0 + $1.millis }
            recorded = gaps.count == 1
                ? "1 gap, \(DurationFormat.short(total))"
                : "\(gaps.count) gaps, \(DurationFormat.short(total)) in all, longest \(DurationFormat.short(longest))"
        } else {
            recorded = "none recorded"
        }
        return timeline.liveTrouble.map { recorded + "; " + $0 } ?? recorded
    }

    /// A line of `width` columns with a tick (`|`) and a time label about every twelve columns.
    public static func axis(_ timeline: TenureTimeline, width: Int, label: (Int64) -> String) -> String {
        var line = Array(repeating: Character(" "), count: max(0, width))
        var column = 0
        while column < width {
            let text = "|" + label(timeline.slice(column, of: width).0)
            guard column + text.count <= width else { break }
            for (offset, character) in text.enumerated() { line[column + offset] = character }
            column += max(12, text.count + 2)
        }
        return String(line)
    }

    /// A tick's label from a `YYYY-MM-DD HH:MM:SS` date and time: `HH:MM` for an hour or a
    /// day, `MM-DD HHh` for a week.
    public static func tickLabel(dateTime full: String, window: TimelineWindow) -> String {
        let monthDay = full.dropFirst(5).prefix(5)
        let time = full.dropFirst(11).prefix(5)
        return window == .week ? "\(monthDay) \(full.dropFirst(11).prefix(2))h" : String(time)
    }
}
