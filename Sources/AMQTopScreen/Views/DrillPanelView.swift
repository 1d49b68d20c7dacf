import AMQTopCore

/// A failover drill's live timeline: each phase with its time since the stop and the signal
/// that showed it, in the order they happened, then the verdict beside its expectation.
///
/// Nothing on it may contradict another line: phases seen are listed by time (the drill
/// dates them in order), a phase not seen yet says "waiting" only while it can still come,
/// and "lock released" reads "taken at once" only once the lock was seen taken.
public struct DrillPanelView: Widget {
    public var drill: DrillTimeline
    public var nowMillis: Int64
    public var context: ViewContext
    public var focused: Bool
    /// The group's configuration, to spell out what the expected worst case is made of.
    public var group: GroupConfig?
    /// How the old master left, as its own log told it (`brokerLog:`), e.g. "b1 shut down cleanly".
    public var cause: String?

    public init(drill: DrillTimeline, nowMillis: Int64, context: ViewContext, focused: Bool, group: GroupConfig? = nil, cause: String? = nil) {
        self.drill = drill
        self.nowMillis = nowMillis
        self.context = context
        self.focused = focused
        self.group = group
        self.cause = cause
    }

    /// Rows the panel wants: borders, the phases, the verdict and what it was held against.
    public static let wantedHeight = DrillPhase.allCases.count + 4

    /// The timeline's lines, also used by tests.
    public var lines: [[Span]] {
        let verdict = drill.verdict(nowMillis: nowMillis)
        var lines: [[Span]] = drill.listedPhases.map(phaseLine)
        if let by = drill.lockTakenBy, let master = drill.newMaster, by != master {
            // Two brokers named for one takeover: say so rather than let the lines disagree silently.
            lines.append([Span("note    ", CellStyle(.warning, [.bold])),
                          Span("the lock went to \(by) but \(master) serves: check for a second master", CellStyle(.warning))])
        }
        lines.append(verdictLine(verdict))
        lines.append(expectationLine)
        return lines
    }

    private func phaseLine(_ phase: DrillPhase) -> [Span] {
        var name = phase.label
        if phase == .lockAcquired, let by = drill.lockTakenBy { name += " by \(by)" }
        if phase == .newMasterServing, let master = drill.newMaster { name += ": \(master)" }
        if drill.wasSeen(phase), let offset = drill.offset(of: phase) {
            return [
                Span(pad("+" + DurationFormat.short(max(0, offset)), 8), CellStyle(.normal, [.bold])),
                Span(pad(name, 26), CellStyle(.ok)),
                Span((drill.signals[phase] ?? "") + (phase == .oldMasterGone ? cause.map { "; log: \(LogText.printable($0))" } ?? "" : ""), CellStyle(.dim)),
            ]
        }
        let why = drill.unseenReason(phase, nowMillis: nowMillis)
        return [Span(pad(context.glyphs.none, 8), CellStyle(.dim)), Span(pad(name, 26), CellStyle(.dim)), Span(why, CellStyle(.dim))]
    }

    /// "verdict PASSED  new master in 2.6s, within the expected 17s".
    private func verdictLine(_ verdict: DrillVerdict) -> [Span] {
        let expected = DurationFormat.short(drill.expectedWorstCaseFailoverMillis)
        var summary: [Span] = [Span("verdict ", CellStyle(.dim))]
        switch verdict {
        case .inProgress(let elapsed):
            summary.append(Span("IN PROGRESS", CellStyle(.warning, [.bold])))
            summary.append(Span("  \(DurationFormat.short(elapsed)) since the stop, of the expected \(expected)"))
        case .passed(let took):
            summary.append(Span("PASSED", CellStyle(.ok, [.bold, .reverse])))
            summary.append(Span("  new master in \(DurationFormat.short(took)), within the expected \(expected)"))
        case .slow(let took):
            summary.append(Span("SLOW", CellStyle(.warning, [.bold, .reverse])))
            summary.append(Span("  new master in \(DurationFormat.short(took)), past the expected \(expected)"))
        case .failed(let why):
            summary.append(Span("FAILED", CellStyle(.critical, [.bold, .reverse])))
            summary.append(Span("  " + why))
        }
        if let without = drill.timeWithoutMasterMillis {
            summary.append(Span("; without master \(DurationFormat.short(without))", CellStyle(.dim)))
        }
        return summary
    }

    /// What the expected worst case is made of, from the group's lock settings.
    private var expectationLine: [Span] {
        var parts = "expected \(DurationFormat.short(drill.expectedWorstCaseFailoverMillis))"
        if let group {
            parts = "\(DurationFormat.short(drill.expectedWorstCaseFailoverMillis))"
            parts += " = lockAcquireSleepInterval \(DurationFormat.setting(group.lockAcquireSleepIntervalMillis))"
            parts += " + lockKeepAlivePeriod \(group.lockKeepAlivePeriodMillis.map(DurationFormat.setting) ?? "not set")"
            parts += " + start \(DurationFormat.setting(group.startTimeMillis))"
        }
        let grace = DrillTimeline.graceMillis(expected: drill.expectedWorstCaseFailoverMillis)
        parts += "; fails at \(DurationFormat.short(drill.expectedWorstCaseFailoverMillis + grace))"
        return [Span("        "), Span(parts, CellStyle(.dim))]
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let title = "Failover drill: stop \(drill.oldMaster) at \(ClockFormat.time(drill.stopSentAtMillis, utcOffsetSeconds: context.utcOffsetSeconds))"
        Panel(title: title, glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        let content = Panel.content(area)
        let all = lines
        // The verdict matters most: keep it (and its expectation when there is room) when the panel is short.
        let verdictIndex = all.count - 2
        let shown: [[Span]]
        if all.count <= content.height {
            shown = all
        } else if content.height >= 2 {
            shown = Array(all.prefix(content.height - 2)) + [all[verdictIndex], all[verdictIndex + 1]]
        } else {
            shown = [all[verdictIndex]]
        }
        for (index, line) in shown.enumerated() where index < content.height {
            TextLine(line, glyphs: context.glyphs).render(into: &buffer, area: content.row(index))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        Truncate.pad(text, width: width, ellipsis: context.glyphs.ellipsis)
    }
}
