/// Lines of "label  value", labels in one dimmed column; cut from the bottom when short of room.
public struct LabelledLines: Widget {
    public var lines: [(String, [Span])]
    public var glyphs: Glyphs

    public init(lines: [(String, [Span])], glyphs: Glyphs) {
        self.lines = lines
        self.glyphs = glyphs
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        // Values matter more than labels: a label never takes all but the last 6 columns.
        let labelWidth = min((lines.map { DisplayWidth.of($0.0) }.max() ?? 0) + 1, max(0, area.width - 6))
        for (index, line) in lines.prefix(area.height).enumerated() {
            // Always one space after the label, even when the label had to be cut.
            let label = Span(Truncate.pad(line.0, width: max(0, labelWidth - 1), ellipsis: glyphs.ellipsis) + " ", CellStyle(.dim))
            TextLine([label] + line.1, glyphs: glyphs).render(into: &buffer, area: area.row(index))
        }
    }
}
