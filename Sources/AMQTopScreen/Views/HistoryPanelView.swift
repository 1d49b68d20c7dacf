import AMQTopCore

/// The group's last failovers from the history: when, from, to, time without master, cause.
public struct HistoryPanelView: Widget {
    public var failovers: [FailoverEvent]
    public var nowMillis: Int64
    public var context: ViewContext
    public var focused: Bool

    public init(failovers: [FailoverEvent], nowMillis: Int64, context: ViewContext, focused: Bool) {
        self.failovers = failovers
        self.nowMillis = nowMillis
        self.context = context
        self.focused = focused
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

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Failover history", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        guard !failovers.isEmpty else {
            TextLine("no failovers recorded yet", CellStyle(.dim), glyphs: context.glyphs).render(into: &buffer, area: Panel.content(area).row(0))
            return
        }
        let none = context.glyphs.none
        let withWhy = failovers.contains { $0.causeDetail != nil }
        let rows = failovers.map { event -> [Span] in
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
        Table(columns: Self.columns + (withWhy ? [Self.whyColumn] : []), rows: rows, selected: nil, glyphs: context.glyphs).render(into: &buffer, area: Panel.inner(area))
    }
}
