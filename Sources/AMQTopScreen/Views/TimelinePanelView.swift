import AMQTopCore

/// Who held the lock over the chosen window: one strip for a group (the group view), or
/// one line per group (the overview), with a time axis and what the letters and marks mean.
public struct TimelinePanelView: Widget {
    public var state: AppState
    public var context: ViewContext
    /// One group for the group view; every visible group for the overview.
    public var groups: [GroupConfig]
    public var focused: Bool

    public init(state: AppState, context: ViewContext, groups: [GroupConfig], focused: Bool = false) {
        self.state = state
        self.context = context
        self.groups = groups
        self.focused = focused
    }

    /// Rows the panel wants, borders included.
    public static func wantedHeight(groups: Int) -> Int { groups == 1 ? 6 : groups + 4 }

    /// "Who was master: last day  (t: 1h 1d 1w)".
    var title: String {
        let choices = TimelineWindow.allCases.map { $0 == state.timelineWindow ? "[\($0.rawValue)]" : $0.rawValue }.joined(separator: " ")
        return "Who was master: \(state.timelineWindow.label)  (t: \(choices))"
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.height >= 3 else { return }
        Panel(title: title, glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        let inner = Panel.content(area)
        guard inner.width >= 12, !groups.isEmpty else { return }
        let timelines = groups.map { state.timeline(of: $0) }
        if timelines.count == 1 { renderOne(timelines[0], into: &buffer, inner: inner) } else { renderMany(timelines, into: &buffer, inner: inner) }
    }

    /// The group view's strip: axis, strip, legend, gaps.
    private func renderOne(_ timeline: TenureTimeline, into buffer: inout Buffer, inner: Rect) {
        for index in 0..<min(4, inner.height) {
            let row = inner.row(index)
            switch index {
            case 0: axis(timeline, area: row, into: &buffer)
            case 1: TimelineStrip(timeline: timeline).render(into: &buffer, area: row)
            case 2: TextLine(legendSpans(timeline), glyphs: context.glyphs).render(into: &buffer, area: row)
            default: TextLine(gapSpans(timeline), glyphs: context.glyphs).render(into: &buffer, area: row)
            }
        }
    }

    /// The overview's lines: the axis over the strips, a group per line, then the marks.
    private func renderMany(_ timelines: [TenureTimeline], into buffer: inout Buffer, inner: Rect) {
        let nameWidth = min(16, (timelines.map { DisplayWidth.of($0.group) }.max() ?? 0)) + 1
        let gapWidth = inner.width >= 200 ? 44 : (inner.width >= 90 ? 26 : 0)
        let stripArea = { (row: Int) in Rect(x: inner.x + nameWidth, y: inner.y + row, width: inner.width - nameWidth - gapWidth, height: 1) }
        guard stripArea(0).width >= 10 else { return }
        var row = 0
        if let first = timelines.first, row < inner.height {
            axis(first, area: stripArea(row), into: &buffer)
            row += 1
        }
        for timeline in timelines where row < inner.height - (inner.height > timelines.count + 1 ? 1 : 0) {
            TextLine(Truncate.pad(timeline.group, width: nameWidth - 1, ellipsis: context.glyphs.ellipsis), CellStyle(.header, [.bold]), glyphs: context.glyphs)
                .render(into: &buffer, area: Rect(x: inner.x, y: inner.y + row, width: nameWidth, height: 1))
            TimelineStrip(timeline: timeline).render(into: &buffer, area: stripArea(row))
            if gapWidth > 0 {
                TextLine(" " + TimelineText.gapSummary(timeline), CellStyle(.dim), glyphs: context.glyphs)
                    .render(into: &buffer, area: Rect(x: inner.right - gapWidth, y: inner.y + row, width: gapWidth, height: 1))
            }
            row += 1
        }
        if row < inner.height {
            let letters = timelines.map { "\($0.group): " + TimelineText.legend($0) }.joined(separator: "; ")
            TextLine([Span(marks + "  ", CellStyle(.dim)), Span(letters, CellStyle(.dim))], glyphs: context.glyphs).render(into: &buffer, area: inner.row(row))
        }
    }

    private var marks: String { TimelineColumn.markLegend.map { "\($0.mark) \($0.meaning)" }.joined(separator: ", ") }

    private func axis(_ timeline: TenureTimeline, area: Rect, into buffer: inout Buffer) {
        let text = TimelineText.axis(timeline, width: area.width) { millis in
            TimelineText.tickLabel(dateTime: ClockFormat.dateTime(millis, utcOffsetSeconds: context.utcOffsetSeconds), window: timeline.window)
        }
        TextLine(text, CellStyle(.dim), glyphs: context.glyphs).render(into: &buffer, area: area)
    }

    /// "A b1  B b2  C b3   x crash ..." with each letter in its broker's colour.
    private func legendSpans(_ timeline: TenureTimeline) -> [Span] {
        var spans: [Span] = []
        for (index, name) in timeline.brokers.enumerated() {
            spans.append(Span(timeline.letters[index], TimelineStrip.style(.master(index))))
            spans.append(Span(" \(name)  "))
        }
        spans.append(Span(" " + marks, CellStyle(.dim)))
        return spans
    }

    /// "without master: 3 gaps, 2h31m in all, longest 2h30m   held: b1 3d2h, ...".
    private func gapSpans(_ timeline: TenureTimeline) -> [Span] {
        let gaps = timeline.gaps
        return [
            Span("without master: ", CellStyle(.dim)),
            Span(TimelineText.gapSummary(timeline), gaps.isEmpty ? CellStyle(.ok) : CellStyle(.warning, [.bold])),
            Span("   held: ", CellStyle(.dim)), Span(TimelineText.held(timeline)),
        ]
    }
}
