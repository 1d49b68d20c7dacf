/// A modal box centred over the screen: a title, lines of text and a row of buttons.
public struct Dialog: Widget, Equatable, Sendable {
    public var title: String
    public var lines: [[Span]]
    /// Button labels, e.g. ["OK"] or ["Cancel", "Stop"].
    public var buttons: [String]
    /// The highlighted button.
    public var selectedButton: Int
    public var glyphs: Glyphs

    public init(title: String, lines: [[Span]], buttons: [String] = ["OK"], selectedButton: Int = 0, glyphs: Glyphs = .unicode) {
        self.title = title
        self.lines = lines
        self.buttons = buttons
        self.selectedButton = selectedButton
        self.glyphs = glyphs
    }

    /// The rectangle the dialog takes inside `screen`.
    public func frame(in screen: Rect) -> Rect {
        let textWidth = lines.map { $0.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0
        let buttonWidth = buttons.reduce(0) { $0 + DisplayWidth.of($1) + 5 }
        let width = max(textWidth, buttonWidth, DisplayWidth.of(title) + 2) + 4
        let height = lines.count + (buttons.isEmpty ? 2 : 4)
        return screen.centered(width: min(width, screen.width - 2), height: min(height, screen.height))
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let box = frame(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        buffer.fill(box, with: Cell(" ", style: CellStyle(.dialog)))
        Panel(title: title, glyphs: glyphs, focused: true).render(into: &buffer, area: box)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for (index, line) in lines.enumerated() where index < inner.height {
            let spans = line.map { Span($0.text, CellStyle(.dialog, $0.style.attributes)) }
            TextLine(spans, glyphs: glyphs).render(into: &buffer, area: inner.row(index))
        }
        guard !buttons.isEmpty, inner.height >= 2 else { return }
        let labels = buttons.map { "[ \($0) ]" }
        let total = labels.reduce(0) { $0 + DisplayWidth.of($1) } + labels.count - 1
        var x = inner.x + max(0, (inner.width - total) / 2)
        let y = inner.bottom - 1
        for (index, label) in labels.enumerated() {
            let style = index == selectedButton ? CellStyle(.selection, [.bold]) : CellStyle(.dialog)
            x = buffer.write(label, x: x, y: y, style: style, clip: inner) + 1
        }
    }
}
