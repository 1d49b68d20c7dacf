import AMQTopCore

/// Who held the lock over the chosen window: one strip for a group (the group view), or
/// one line per group (the overview), with a time axis and what the letters and marks mean.
public struct TimelinePanelView: Widget {
    public var state: AppState
    public var context: ViewContext
    /// One group for the group view; every visible group for the overview.
    public var groups: [GroupConfig]
    public var focused: Bool
    /// Each group's timeline, built once: the height, the legend and the strips all read it.
    public let timelines: [TenureTimeline]

    public init(state: AppState, context: ViewContext, groups: [GroupConfig], focused: Bool = false) {
        self.state = state
        self.context = context
        self.groups = groups
        self.focused = focused
        timelines = groups.map { state.timeline(of: $0) }
    }

    /// Rows the panel wants at a width, borders included: the axis, the strips, the legend
    /// (as many lines as it wraps to) and, for one group, its gaps.
    public func wantedHeight(width: Int) -> Int {
        let legend = max(1, legendLines(inner: Panel.content(Rect(x: 0, y: 0, width: width, height: 3))).count)
        return groups.count == 1 ? 5 + legend : groups.count + 3 + legend
    }

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
        if timelines.count == 1 { renderOne(timelines[0], into: &buffer, inner: inner) } else { renderMany(timelines, into: &buffer, inner: inner) }
    }

    /// The group view's strip: axis, strip, legend (wrapped), gaps.
    private func renderOne(_ timeline: TenureTimeline, into buffer: inout Buffer, inner: Rect) {
        let rows: [[Span]] = legendLines(inner: inner) + [gapSpans(timeline)]
        for index in 0..<min(2 + rows.count, inner.height) {
            let row = inner.row(index)
            switch index {
            case 0: axis(timeline, area: row, into: &buffer)
            case 1: TimelineStrip(timeline: timeline).render(into: &buffer, area: row)
            default: TextLine(rows[index - 2], glyphs: context.glyphs).render(into: &buffer, area: row)
            }
        }
    }

    /// The overview's lines: the axis over the strips, a group per line, then the marks.
    private func renderMany(_ timelines: [TenureTimeline], into buffer: inout Buffer, inner: Rect) {
        let (nameWidth, gapWidth) = Self.manyLayout(timelines, inner: inner)
        let stripArea = { (row: Int) in Rect(x: inner.x + nameWidth, y: inner.y + row, width: inner.width - nameWidth - gapWidth, height: 1) }
        guard stripArea(0).width >= 10 else { return }
        var row = 0
        if let first = timelines.first, row < inner.height {
            axis(first, area: stripArea(row), into: &buffer)
            row += 1
        }
        let legend = legendLines(inner: inner)
        // The strips first; the legend takes the rows below them that are left.
        let legendRows = min(legend.count, max(0, inner.height - 1 - timelines.count))
        for timeline in timelines where row < inner.height - legendRows {
            TextLine(Truncate.pad(timeline.group, width: nameWidth - 1, ellipsis: context.glyphs.ellipsis), CellStyle(.header, [.bold]), glyphs: context.glyphs)
                .render(into: &buffer, area: Rect(x: inner.x, y: inner.y + row, width: nameWidth, height: 1))
            TimelineStrip(timeline: timeline).render(into: &buffer, area: stripArea(row))
            if gapWidth > 0 {
                TextLine(" " + TimelineText.gapSummary(timeline), CellStyle(.dim), glyphs: context.glyphs)
                    .render(into: &buffer, area: Rect(x: inner.right - gapWidth, y: inner.y + row, width: gapWidth, height: 1))
            }
            row += 1
        }
        for line in legend.prefix(legendRows) where row < inner.height {
            TextLine(line, glyphs: context.glyphs).render(into: &buffer, area: inner.row(row))
            row += 1
        }
    }

    /// The marks the timelines' window holds, read from their stretches and failovers (not from
    /// the columns, which would cost a second strip per frame): a mark a higher-ranked one hides
    /// in a narrow strip is still explained.
    static func marksHeld(_ timelines: [TenureTimeline]) -> Set<String> {
        var held = Set<String>()
        for timeline in timelines {
            for mark in timeline.marks { held.insert(TimelineColumn.mark(mark.cause)) }
            var covered = timeline.startMillis
            for stretch in timeline.stretches.sorted(by: { $0.startMillis < $1.startMillis }) {
                switch stretch.kind {
                case .noMaster: held.insert(TimelineColumn.noMaster.character(letters: []))
                case .splitBrain: held.insert(TimelineColumn.splitBrain.character(letters: []))
                case .master: break
                }
                // Time no stretch covers was not watched.
                if stretch.startMillis > covered { held.insert(TimelineColumn.notWatched.character(letters: [])) }
                covered = max(covered, stretch.endMillis)
            }
            if covered < timeline.nowMillis { held.insert(TimelineColumn.notWatched.character(letters: [])) }
        }
        return held
    }

    /// The name column's and the gap summary's widths of the overview's lines.
    static func manyLayout(_ timelines: [TenureTimeline], inner: Rect) -> (name: Int, gaps: Int) {
        (min(16, (timelines.map { DisplayWidth.of($0.group) }.max() ?? 0)) + 1, inner.width >= 200 ? 44 : (inner.width >= 90 ? 26 : 0))
    }

    /// The legend in lines of the inner width, never cutting an entry ("l lock lost",
    /// "orders: A o1, B o2"): the brokers' letters, then the marks for one group; the marks,
    /// then each group's letters for several.
    ///
    /// Only the marks the window holds are explained (the help screen lists them all): with
    /// every mark, the legend took three lines at 80 columns, a third of the space the
    /// selected group's panels have there.
    func legendLines(inner: Rect) -> [[Span]] {
        let width = inner.width
        let shown = Self.marksHeld(timelines)
        var entries: [(spans: [Span], separator: String)] = []
        let marks = TimelineColumn.markLegend.filter { shown.contains($0.mark) }.enumerated().map { index, item in
            ([Span("\(item.mark) \(item.meaning)", CellStyle(.dim))], index == 0 ? "   " : ", ")
        }
        if let timeline = timelines.first, timelines.count == 1 {
            for (index, name) in timeline.brokers.enumerated() {
                entries.append(([Span(timeline.letters[index], TimelineStrip.style(.master(index))), Span(" \(name)")], "  "))
            }
            entries += marks
        } else {
            entries += marks
            for (index, timeline) in timelines.enumerated() {
                entries.append(([Span("\(timeline.group): " + TimelineText.legend(timeline), CellStyle(.dim))], index == 0 ? "  " : "; "))
            }
        }
        var lines: [[Span]] = []
        var line: [Span] = []
        var used = 0
        for entry in entries {
            let entryWidth = entry.spans.reduce(0) { $0 + DisplayWidth.of($1.text) }
            let separatorWidth = line.isEmpty ? 0 : DisplayWidth.of(entry.separator)
            if !line.isEmpty, used + separatorWidth + entryWidth > width {
                lines.append(line)
                line = []
                used = 0
            }
            if !line.isEmpty {
                line.append(Span(entry.separator, CellStyle(.dim)))
                used += separatorWidth
            }
            line += entry.spans
            used += entryWidth
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func axis(_ timeline: TenureTimeline, area: Rect, into buffer: inout Buffer) {
        let text = TimelineText.axis(timeline, width: area.width) { millis in
            TimelineText.tickLabel(dateTime: ClockFormat.dateTime(millis, utcOffsetSeconds: context.utcOffsetSeconds), window: timeline.window)
        }
        TextLine(text, CellStyle(.dim), glyphs: context.glyphs).render(into: &buffer, area: area)
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
