/// The bottom line: key hints on the left, a message or state on the right.
public struct StatusBar: Widget, Equatable, Sendable {
    public var left: [Span]
    public var right: [Span]
    public var glyphs: Glyphs

    public init(left: [Span], right: [Span] = [], glyphs: Glyphs = .unicode) {
        self.left = left
        self.right = right
        self.glyphs = glyphs
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        buffer.fill(line, with: Cell(" ", style: CellStyle(.header)))
        let rightWidth = right.reduce(0) { $0 + DisplayWidth.of($1.text) }
        // The message on the right wins: it is what just happened; hints are always the same.
        let rightArea: Rect
        if rightWidth > 0 {
            let w = min(rightWidth, line.width)
            rightArea = Rect(x: line.right - w, y: line.y, width: w, height: 1)
            TextLine(right, glyphs: glyphs).render(into: &buffer, area: rightArea)
        } else {
            rightArea = Rect(x: line.right, y: line.y, width: 0, height: 1)
        }
        let leftArea = Rect(x: line.x, y: line.y, width: max(0, rightArea.x - line.x - 1), height: 1)
        TextLine(left, glyphs: glyphs).render(into: &buffer, area: leftArea)
    }
}
