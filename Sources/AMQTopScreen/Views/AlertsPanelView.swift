import AMQTopCore

/// A group's alerts, worst first, each with what to do about it, wrapped to the panel's width.
public struct AlertsPanelView: Widget {
    public var state: AppState
    public var context: ViewContext
    public var group: GroupConfig
    public var focused: Bool
    /// The first alert to draw, when the caller scrolls it (the overview); else the group view's scroll.
    public var fromAlert: Int?

    public init(state: AppState, context: ViewContext, group: GroupConfig, focused: Bool, fromAlert: Int? = nil) {
        self.state = state
        self.context = context
        self.group = group
        self.focused = focused
        self.fromAlert = fromAlert
    }

    /// The lines for a given text width: each alert's message, then its action after an arrow.
    public func lines(width: Int) -> [[Span]] { lines(width: width, fromAlert: 0) }

    /// The lines from the `first` alert on (what the panel shows scrolled).
    public func lines(width: Int, fromAlert first: Int) -> [[Span]] {
        guard let assessment = state.assessments[group.name] else { return [[Span("waiting for the first poll", CellStyle(.dim))]] }
        if assessment.alerts.isEmpty { return [[Span("OK", CellStyle(.ok, [.bold])), Span(" no alerts")]] }
        let arrow = context.glyphs == .ascii ? "->" : "→"
        var out: [[Span]] = []
        for alert in assessment.alerts.dropFirst(first) {
            let word = alert.severity.word
            let message = WordWrap.lines(word + " " + alert.message, width: width, indent: "  ")
            for (index, line) in message.enumerated() {
                if index == 0, line.hasPrefix(word) {
                    out.append([Describe.severitySpan(alert.severity), Span(String(line.dropFirst(word.count)))])
                } else {
                    out.append([Span(line)])
                }
            }
            for line in WordWrap.lines("\(arrow) " + alert.action, width: max(1, width - 2), indent: "  ") {
                out.append([Span("  " + line, CellStyle(.dim))])
            }
        }
        return out
    }

    /// How many rows the panel wants at a width (borders included).
    public func wantedHeight(width: Int) -> Int { lines(width: max(1, width - 4), fromAlert: firstShown).count + 2 }

    /// The first alert drawn: scrolled in the group view, as the caller says on the overview.
    var firstShown: Int {
        let count = state.assessments[group.name]?.alerts.count ?? 0
        if let fromAlert { return min(max(0, fromAlert), max(0, count - 1)) }
        return state.view.groupName != nil ? firstAlert : 0
    }

    /// The first alert shown: the scroll position, kept inside the list.
    var firstAlert: Int {
        let count = state.assessments[group.name]?.alerts.count ?? 0
        return min(max(0, state.scroll[.alerts] ?? 0), max(0, count - 1))
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let count = state.assessments[group.name]?.alerts.count ?? 0
        let first = firstShown
        let range = first > 0 ? ", from \(first + 1)" : ""
        Panel(title: "Alerts: \(group.name) (\(count)\(range))", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        let inner = Panel.content(area)
        let all = lines(width: inner.width, fromAlert: first)
        for (index, line) in all.prefix(inner.height).enumerated() {
            let hidden = all.count - inner.height
            if hidden > 0 && index == inner.height - 1 {
                // The same keys reach them on the overview and in the group view.
                let how = focused ? "PgDn" : (state.view.groupName == nil ? "Tab, then PgDn" : "Tab to the alerts, PgDn")
                TextLine("\(context.glyphs.ellipsis) \(hidden + 1) more lines below (\(how))", CellStyle(.dim), glyphs: context.glyphs)
                    .render(into: &buffer, area: inner.row(index))
            } else {
                TextLine(line, glyphs: context.glyphs).render(into: &buffer, area: inner.row(index))
            }
        }
    }
}
