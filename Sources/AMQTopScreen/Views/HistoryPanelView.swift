import AMQTopCore

/// The group's last failovers from the history: when, from, to, time without master, cause;
/// in the rows the failovers leave free, the tenures (who held the lock, from when, how long).
public struct HistoryPanelView: Widget {
    public var failovers: [FailoverEvent]
    public var nowMillis: Int64
    public var context: ViewContext
    public var focused: Bool
    /// The first failover row shown (PgDn and the wheel scroll it).
    public var scroll: Int
    /// The recorded tenures, oldest first, listed below the failovers when rows are left.
    public var tenures: [Tenure]
    /// The panel's title.
    public var title: String
    /// The keys that reach the failovers cut off (the group view's are Tab and PgDn).
    public var moreKeys: String?

    public init(
        failovers: [FailoverEvent], nowMillis: Int64, context: ViewContext, focused: Bool, scroll: Int = 0, tenures: [Tenure] = [],
        title: String = "Failover history", moreKeys: String? = nil
    ) {
        self.moreKeys = moreKeys
        self.failovers = failovers
        self.nowMillis = nowMillis
        self.context = context
        self.focused = focused
        self.scroll = scroll
        self.tenures = tenures
        self.title = title
    }

    static let columns: [TableColumn] = [
        TableColumn("WHEN", minWidth: 19, priority: 0),
        TableColumn("FROM", minWidth: 6, maxWidth: 16, priority: 0),
        TableColumn("TO", minWidth: 6, maxWidth: 16, priority: 0),
        TableColumn("NO MASTER", minWidth: 9, priority: 1, alignRight: true),
        TableColumn("TAKEOVER", minWidth: 8, priority: 3, alignRight: true),
        TableColumn("CAUSE", minWidth: 7, priority: 2),
    ]
    /// The cause in a sentence, from a broker's log: only when some row has one, and the first to go when narrow.
    static let whyColumn = TableColumn("WHY", minWidth: 12, priority: 4)

    static let tenureColumns: [TableColumn] = [
        TableColumn("MASTER SINCE", minWidth: 19, priority: 0),
        TableColumn("BROKER", minWidth: 6, maxWidth: 16, priority: 0),
        TableColumn("HELD", minWidth: 8, priority: 0, alignRight: true),
        TableColumn("UNTIL", minWidth: 19, priority: 1),
    ]

    /// Rows the panel wants to show every failover (borders and header included).
    public static func wantedHeight(failovers: Int, tenures: Int) -> Int {
        // "no failovers recorded yet" is one line; a table is its header and rows.
        let failoverRows = failovers == 0 ? 1 : failovers + 1
        return failoverRows + (tenures > 0 ? tenures + 2 : 0) + 2
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let first = min(max(0, scroll), max(0, failovers.count - 1))
        let range = first > 0 ? " (from \(first + 1) of \(failovers.count))" : (failovers.count > 0 ? " (\(failovers.count))" : "")
        Panel(title: title + range, glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        let inner = Panel.inner(area)
        guard !inner.isEmpty else { return }
        var used = 0
        if failovers.isEmpty {
            TextLine("no failovers recorded yet", CellStyle(.dim), glyphs: context.glyphs).render(into: &buffer, area: Panel.content(area).row(0))
            used = 1
        } else {
            // Failovers first; the tenures take only the rows the failovers leave free.
            let shown = Array(failovers.dropFirst(first))
            let height = min(inner.height, shown.count + 1)
            let rows = shown.prefix(max(0, height - 1)).map(row)
            Table(columns: Self.columns + (withWhy ? [Self.whyColumn] : []), rows: rows, selected: nil, glyphs: context.glyphs)
                .render(into: &buffer, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: height))
            let hidden = shown.count - (height - 1)
            if hidden > 0, height >= 2 {
                let how = moreKeys ?? (focused ? "PgDn" : "Tab to the history, PgDn")
                // Padded to the row's end: the table's row under it must not show through.
                let text = Truncate.pad("\(context.glyphs.ellipsis) \(hidden + 1) more failovers (\(how))", width: inner.width - 2, ellipsis: context.glyphs.ellipsis)
                TextLine(text, CellStyle(.dim), glyphs: context.glyphs)
                    .render(into: &buffer, area: Rect(x: inner.x + 2, y: inner.y + height - 1, width: inner.width - 2, height: 1))
            }
            used = height
        }
        let left = inner.height - used - 1
        guard left >= 2, !tenures.isEmpty else { return }
        // A tenure still open in the file ended where the next one began.
        let sorted = tenures.sorted { $0.startedAtMillis < $1.startedAtMillis }
        let ended = sorted.enumerated().map { index, tenure in
            (tenure, tenure.endedAtMillis ?? (index + 1 < sorted.count ? sorted[index + 1].startedAtMillis : nil))
        }
        let newest = Array(ended.reversed().prefix(left - 1))
        Table(columns: Self.tenureColumns, rows: newest.map { tenureRow($0.0, end: $0.1) }, selected: nil, glyphs: context.glyphs)
            .render(into: &buffer, area: Rect(x: inner.x, y: inner.y + used + 1, width: inner.width, height: min(left, newest.count + 1)))
    }

    private func row(_ event: FailoverEvent) -> [Span] {
        let none = context.glyphs.none
        let when = ClockFormat.dateTime(event.atMillis, utcOffsetSeconds: context.utcOffsetSeconds)
        let pending = event.isComplete ? nil : Span("in progress", CellStyle(.warning))
        return [
            Span(when),
            Span(event.fromBroker ?? none),
            Span(event.toBroker ?? none, CellStyle(.master)),
            pending ?? Span(event.timeWithoutMasterMillis.map(DurationFormat.short) ?? none, CellStyle(.normal, [.bold])),
            Span(event.takeoverMillis.map(DurationFormat.short) ?? none, CellStyle(.dim)),
            Span(event.cause.rawValue, CellStyle(event.cause == .crash || event.cause == .lockLost ? .warning : .normal)),
        ] + (withWhy ? [Span(event.causeDetail.map { LogText.printable($0) } ?? "", CellStyle(.dim))] : [])
    }

    /// True when some failover has its cause in a sentence from a broker's log: the WHY column is shown.
    private var withWhy: Bool { failovers.contains { $0.causeDetail != nil } }

    private func tenureRow(_ tenure: Tenure, end: Int64?) -> [Span] {
        let held = max(0, (end ?? nowMillis) - tenure.startedAtMillis)
        return [
            Span(ClockFormat.dateTime(tenure.startedAtMillis, utcOffsetSeconds: context.utcOffsetSeconds)),
            Span(tenure.master ?? TenureTimeline.unknownHolder, CellStyle(.master)),
            Span(DurationFormat.short(held), CellStyle(.normal, [.bold])),
            Span(end.map { ClockFormat.dateTime($0, utcOffsetSeconds: context.utcOffsetSeconds) } ?? "holds it now", CellStyle(end == nil ? .ok : .dim)),
        ]
    }
}
