import AMQTopCore

/// The top line: counts, overall status, last complete poll, and a LATE / FAILING mark.
public struct HeaderView: Widget {
    public var state: AppState
    public var context: ViewContext

    public init(state: AppState, context: ViewContext) {
        self.state = state
        self.context = context
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let bar = CellStyle(.header)
        let groups = state.config.groups.count
        var spans: [Span] = [
            Span("amqtop ", CellStyle(.header, [.bold])),
            Span("\(groups) group\(groups == 1 ? "" : "s"), \(state.brokerCount) broker\(state.brokerCount == 1 ? "" : "s") ", bar),
        ]
        if groups > 0 {
            let overall = state.overallStatus
            spans.append(Span(" \(overall.word) ", CellStyle(Describe.style(overall), [.bold, .reverse])))
        }
        let last = state.lastRoundMillis.map { ClockFormat.time($0, utcOffsetSeconds: context.utcOffsetSeconds) } ?? context.glyphs.none
        spans.append(Span(" last poll \(last)", bar))
        let health = state.pollHealth
        if let mark = health.mark {
            var detail = ""
            if case .late(let by) = health { detail = " \(DurationFormat.short(by))" }
            let role: StyleRole = {
                switch health {
                case .failing: .critical
                case .late: .warning
                default: .dim
                }
            }()
            spans.append(Span(" "))
            spans.append(Span(" \(mark)\(detail) ", CellStyle(role, [.bold, .reverse])))
        }
        TextLine(spans, fill: bar, glyphs: context.glyphs).render(into: &buffer, area: area.row(0))
    }
}
