import AMQTopCore

/// A failover drill's live timeline: each phase with its time since the stop, then the verdict.
public struct DrillPanelView: Widget {
    public var drill: DrillTimeline
    public var nowMillis: Int64
    public var context: ViewContext
    public var focused: Bool
    /// How the old master left, as its own log told it (`brokerLog:`), e.g. "b1 shut down cleanly".
    public var cause: String?

    public init(drill: DrillTimeline, nowMillis: Int64, context: ViewContext, focused: Bool, cause: String? = nil) {
        self.drill = drill
        self.nowMillis = nowMillis
        self.context = context
        self.focused = focused
        self.cause = cause
    }

    /// The timeline's lines, also used by tests.
    public var lines: [[Span]] {
        let verdict = drill.verdict(nowMillis: nowMillis)
        let expected = DurationFormat.short(drill.expectedWorstCaseFailoverMillis)
        var lines: [[Span]] = []
        for phase in DrillPhase.allCases {
            var name = phase.label
            if phase == .lockAcquired, let by = drill.lockTakenBy { name += " by \(by)" }
            if phase == .newMasterServing, let master = drill.newMaster { name += ": \(master)" }
            if let offset = drill.offset(of: phase) {
                lines.append([
                    Span(pad("+" + DurationFormat.short(max(0, offset)), 8), CellStyle(.normal, [.bold])),
                    Span(pad(name, 26), CellStyle(.ok)),
                    Span((drill.signals[phase] ?? "") + (phase == .oldMasterGone ? cause.map { "; log: \(LogText.printable($0))" } ?? "" : ""), CellStyle(.dim)),
                ])
            } else {
                let waiting = !verdict.isFinal && phase != .lockReleased
                lines.append([
                    Span(pad(context.glyphs.none, 8), CellStyle(.dim)),
                    Span(pad(name, 26), CellStyle(.dim)),
                    Span(waiting ? "waiting" : (phase == .lockReleased ? "not seen free (taken at once)" : "not seen"), CellStyle(.dim)),
                ])
            }
        }
        var summary: [Span] = [Span("verdict ", CellStyle(.dim))]
        switch verdict {
        case .inProgress(let elapsed):
            summary.append(Span("IN PROGRESS", CellStyle(.warning, [.bold])))
            summary.append(Span("  \(DurationFormat.short(elapsed)) since the stop, expected within ~\(expected)"))
        case .passed(let took):
            summary.append(Span("PASSED", CellStyle(.ok, [.bold, .reverse])))
            summary.append(Span("  new master in \(DurationFormat.short(took)), expected within ~\(expected)"))
        case .slow(let took):
            summary.append(Span("SLOW", CellStyle(.warning, [.bold, .reverse])))
            summary.append(Span("  new master in \(DurationFormat.short(took)), later than ~\(expected)"))
        case .failed(let why):
            summary.append(Span("FAILED", CellStyle(.critical, [.bold, .reverse])))
            summary.append(Span("  " + why))
        }
        if let without = drill.timeWithoutMasterMillis {
            summary.append(Span("; without master \(DurationFormat.short(without))", CellStyle(.dim)))
        }
        lines.append(summary)
        return lines
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let title = "Failover drill: stop \(drill.oldMaster) at \(ClockFormat.time(drill.stopSentAtMillis, utcOffsetSeconds: context.utcOffsetSeconds))"
        Panel(title: title, glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        let content = Panel.content(area)
        let all = lines
        // The verdict matters most: keep it when the panel is short.
        let shown = all.count <= content.height ? all : Array(all.prefix(max(0, content.height - 1))) + [all[all.count - 1]]
        for (index, line) in shown.enumerated() where index < content.height {
            TextLine(line, glyphs: context.glyphs).render(into: &buffer, area: content.row(index))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        Truncate.pad(text, width: width, ellipsis: context.glyphs.ellipsis)
    }
}
