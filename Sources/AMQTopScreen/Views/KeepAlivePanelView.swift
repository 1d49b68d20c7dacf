import AMQTopCore

/// The keep-alive panel: the two lock timings and the worst-case failover they imply.
public struct KeepAlivePanelView: Widget {
    public var context: ViewContext
    public var group: GroupConfig
    public var focused: Bool

    public init(context: ViewContext, group: GroupConfig, focused: Bool) {
        self.context = context
        self.group = group
        self.focused = focused
    }

    public var lines: [(String, [Span])] {
        let keepAlive = Describe.keepAlive(group)
        return [
            ("lockKeepAlivePeriod", [Span(keepAlive, CellStyle(keepAlive == "off" || keepAlive == "not set" ? .warning : .ok))]),
            ("lockAcquireSleepInterval", [Span(DurationFormat.setting(group.lockAcquireSleepIntervalMillis))]),
            ("broker start time", [Span(DurationFormat.setting(group.startTimeMillis), CellStyle(.dim))]),
            // Worst case: a slave just missed the lock, then sleeps one keep-alive, then starts.
            ("worst-case failover", [Span(DurationFormat.short(group.expectedWorstCaseFailoverMillis), CellStyle(.normal, [.bold]))]),
            ("NFS lease", [Span(DurationFormat.setting(group.nfsLeaseMillis), CellStyle(.dim))]),
        ]
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Keep-alive", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        LabelledLines(lines: lines, glyphs: context.glyphs).render(into: &buffer, area: Panel.content(area))
    }
}
