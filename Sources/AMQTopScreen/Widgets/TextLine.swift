/// One line of styled spans, cut with an ellipsis when it does not fit.
public struct TextLine: Widget, Equatable, Sendable {
    public var spans: [Span]
    /// The style of the rest of the line after the text (e.g. a header bar's background).
    public var fill: CellStyle?
    public var glyphs: Glyphs

    public init(_ spans: [Span], fill: CellStyle? = nil, glyphs: Glyphs = .unicode) {
        self.spans = spans
        self.fill = fill
        self.glyphs = glyphs
    }

    public init(_ text: String, _ style: CellStyle = .normal, fill: CellStyle? = nil, glyphs: Glyphs = .unicode) {
        self.init([Span(text, style)], fill: fill, glyphs: glyphs)
    }

    /// The line's total width in columns.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        if let fill { buffer.fill(area.row(0), with: Cell(" ", style: fill)) }
        let overflow = width > area.width
        let markWidth = DisplayWidth.of(glyphs.ellipsis)
        let limit = overflow ? max(0, area.width - markWidth) : area.width
        var x = area.x
        var lastStyle = spans.last?.style ?? .normal
        for span in spans {
            let room = area.x + limit - x
            if room <= 0 { break }
            let text = Truncate.head(span.text, room)
            x = buffer.write(text, x: x, y: area.y, style: span.style, clip: area)
            lastStyle = span.style
            if DisplayWidth.of(text) < DisplayWidth.of(span.text) { break }
        }
        if overflow && area.width >= markWidth {
            buffer.write(glyphs.ellipsis, x: area.x + limit, y: area.y, style: lastStyle, clip: area)
        }
    }
}
