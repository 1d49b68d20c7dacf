import AMQTopCore

/// The help screen: every key, and how roles read without colour.
public struct HelpView: Widget {
    public var context: ViewContext

    public init(context: ViewContext) { self.context = context }

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Help: keys", glyphs: context.glyphs, focused: true).render(into: &buffer, area: area)
        let inner = Panel.content(area)
        let keys = KeyBindings.list(ascii: context.glyphs == .ascii)
        let keyWidth = (keys.map { DisplayWidth.of($0.keys) }.max() ?? 0) + 2
        var lines: [[Span]] = keys.map { [Span(Truncate.pad($0.keys, width: keyWidth), CellStyle(.header, [.bold])), Span($0.action)] }
        lines.append([])
        lines.append([Span("Roles: ", CellStyle(.dim))] + Role.allCases.flatMap { [Span(Describe.roleLabel($0), CellStyle(Describe.style($0))), Span("  ")] })
        lines.append([Span("Status: ", CellStyle(.dim))] + [Severity.ok, .warning, .critical, .unknown].flatMap { [Describe.severitySpan($0), Span("  ")] })
        // Wrapped, not cut: at 80 columns the legend and the header marks take two lines each.
        let legend = "Timeline: A B C brokers, " + TimelineColumn.markLegend.map { "\($0.mark) \($0.meaning)" }.joined(separator: ", ")
        for text in [legend, "Header marks: WAITING (no round yet), LATE (round overdue), FAILING (no rounds)"] {
            lines += WordWrap.lines(text, width: inner.width, indent: "  ").map { [Span($0, CellStyle(.dim))] }
        }
        for (index, line) in lines.prefix(inner.height).enumerated() {
            TextLine(line, glyphs: context.glyphs).render(into: &buffer, area: inner.row(index))
        }
    }
}
