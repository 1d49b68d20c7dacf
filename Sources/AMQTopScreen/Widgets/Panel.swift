/// A box with a title in its top border; its inside is left for other widgets.
public struct Panel: Widget, Equatable, Sendable {
    public var title: String
    public var glyphs: Glyphs
    /// Draws the border in the selection style: the panel that Tab has focused.
    public var focused: Bool

    public init(title: String, glyphs: Glyphs = .unicode, focused: Bool = false) {
        self.title = title
        self.glyphs = glyphs
        self.focused = focused
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    /// The area inside the border with a column of padding left and right, for text.
    public static func content(_ area: Rect) -> Rect {
        let inner = area.inset(by: 1)
        return Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        let style = CellStyle(.border, focused ? [.bold] : [])
        let h = glyphs.horizontal
        let top = area.y
        let bottom = area.bottom - 1
        for x in area.x + 1..<area.right - 1 {
            buffer[x, top] = Cell(h, style: style)
            buffer[x, bottom] = Cell(h, style: style)
        }
        for y in top + 1..<bottom {
            buffer[area.x, y] = Cell(glyphs.vertical, style: style)
            buffer[area.right - 1, y] = Cell(glyphs.vertical, style: style)
        }
        buffer[area.x, top] = Cell(glyphs.topLeft, style: style)
        buffer[area.right - 1, top] = Cell(glyphs.topRight, style: style)
        buffer[area.x, bottom] = Cell(glyphs.bottomLeft, style: style)
        buffer[area.right - 1, bottom] = Cell(glyphs.bottomRight, style: style)
        guard !title.isEmpty, area.width > 4 else { return }
        let room = area.width - 4
        let label = Truncate.fit(title, width: room, ellipsis: glyphs.ellipsis)
        let titleStyle = CellStyle(focused ? .selection : .header, [.bold])
        buffer.write(" ", x: area.x + 1, y: top, style: style)
        let end = buffer.write(label, x: area.x + 2, y: top, style: titleStyle)
        buffer.write(" ", x: end, y: top, style: style)
    }
}
