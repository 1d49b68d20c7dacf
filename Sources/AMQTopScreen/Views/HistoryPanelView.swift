import AMQTopCore

/// Room for the failover history, which the history feature fills; empty until then.
public struct HistoryPanelView: Widget {
    public var context: ViewContext
    public var focused: Bool

    public init(context: ViewContext, focused: Bool) {
        self.context = context
        self.focused = focused
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Failover history", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        TextLine("no failovers recorded (history not enabled yet)", CellStyle(.dim), glyphs: context.glyphs)
            .render(into: &buffer, area: Panel.content(area).row(0))
    }
}
