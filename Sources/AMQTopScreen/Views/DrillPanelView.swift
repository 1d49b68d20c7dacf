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

    public init(drill: DrillTimeline, nowMillis: Int64, context: ViewContext, focused: Bool, group: GroupConfig? = nil) {
        self.drill = drill
        self.nowMillis = nowMillis
        self.context = context
        self.focused = focused
        self.group = group
    }

    /// Rows the panel wants: borders, the phases, the verdict and what it was held against.
    public static let wantedHeight = DrillPhase.allCases.count + 4

    /// Whether a phase was seen (a stop that could not be sent was not).
    private func seen(_ phase: DrillPhase) -> Bool {
        drill.offset(of: phase) != nil && !(phase == .stopSent && drill.stopError != nil)
    }

    /// The phases in the order they are listed: those seen by time (ties in protocol order);
    /// one skipped (a later one was seen) right after the seen phase before it; the rest last.
    public var orderedPhases: [DrillPhase] {
        let all = DrillPhase.allCases
        var order = all.filter(seen).sorted { a, b in
            (drill.offset(of: a) ?? 0, all.firstIndex(of: a) ?? 0) < (drill.offset(of: b) ?? 0, all.firstIndex(of: b) ?? 0)
        }
        for (index, phase) in all.enumerated() where !seen(phase) {
            if let before = all[..<index].last(where: seen), all[(index + 1)...].contains(where: seen),
               let at = order.firstIndex(of: before) {
                order.insert(phase, at: at + 1)
            } else {
                order.append(phase)
            }
        }
        return order
    }

    /// The timeline's lines, also used by tests.
    public var lines: [[Span]] {
        let verdict = drill.verdict(nowMillis: nowMillis)
        var lines: [[Span]] = orderedPhases.map { phaseLine($0, verdict: verdict) }
        if let by = drill.lockTakenBy, let master = drill.newMaster, by != master {
            // Two brokers named for one takeover: say so rather than let the lines disagree silently.
            lines.append([Span("note    ", CellStyle(.warning, [.bold])),
                          Span("the lock went to \(by) but \(master) serves: check for a second master", CellStyle(.warning))])
        }
        lines.append(verdictLine(verdict))
        lines.append(expectationLine)
        return lines
    }

    private func phaseLine(_ phase: DrillPhase, verdict: DrillVerdict) -> [Span] {
        var name = phase.label
        if phase == .lockAcquired, let by = drill.lockTakenBy { name += " by \(by)" }
        if phase == .newMasterServing, let master = drill.newMaster { name += ": \(master)" }
        if seen(phase), let offset = drill.offset(of: phase) {
            return [
                Span(pad("+" + DurationFormat.short(max(0, offset)), 8), CellStyle(.normal, [.bold])),
                Span(pad(name, 26), CellStyle(.ok)),
                Span(drill.signals[phase] ?? "", CellStyle(.dim)),
            ]
        }
        let why: String
        switch phase {
        case .stopSent:
            why = "not sent: " + (drill.stopError ?? "")
        case .lockReleased where drill.offset(of: .lockAcquired) != nil:
            // Seen taken without a read of it free in between: the slave was faster than the lock poll.
            why = "not seen free (taken between two lock reads)"
        default:
            why = verdict.isFinal ? "not seen" : "waiting"
        }
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
        parts += "; FAILED at \(DurationFormat.short(drill.expectedWorstCaseFailoverMillis + grace))"
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
