/// Rows of cells under a header, with columns sized to fit and a selected row.
///
/// Columns get at least their minimum width; when the area is too narrow for all the
/// minimums the least important columns (highest `priority`) are left out, and text that
/// does not fit ends in the ellipsis glyph. The selected row is drawn in the selection
/// style and marked with a glyph, so it is visible without colour.
public struct Table: Widget, Equatable, Sendable {
    public var columns: [TableColumn]
    /// Each row is one span per column.
    public var rows: [[Span]]
    /// The selected row, if any.
    public var selected: Int?
    public var glyphs: Glyphs
    /// Columns between cells.
    public var gap: Int

    public init(columns: [TableColumn], rows: [[Span]], selected: Int? = nil, glyphs: Glyphs = .unicode, gap: Int = 1) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.glyphs = glyphs
        self.gap = gap
    }

    /// The column widths for a given total width; 0 for a column left out.
    public func layout(width: Int) -> [Int] {
        let available = width - 2  // the selection marker and its space
        var included = Array(repeating: true, count: columns.count)
        func used() -> Int {
            let mins = zip(columns, included).filter(\.1).map(\.0.minWidth)
            return mins.reduce(0, +) + max(0, mins.count - 1) * gap
        }
        let dropOrder = columns.indices.sorted { (columns[$0].priority, $0) > (columns[$1].priority, $1) }
        var next = dropOrder.makeIterator()
        while used() > available, let victim = next.next() { included[victim] = false }
        guard used() <= available else { return Array(repeating: 0, count: columns.count) }
        var widths = columns.indices.map { included[$0] ? columns[$0].minWidth : 0 }
        var extra = available - used()
        let natural = columns.indices.map { index -> Int in
            let content = rows.map { index < $0.count ? DisplayWidth.of($0[index].text) : 0 }.max() ?? 0
            let wanted = max(columns[index].minWidth, DisplayWidth.of(columns[index].title), content)
            return min(wanted, columns[index].maxWidth ?? wanted)
        }
        // Grow the most important columns to their content first.
        for index in columns.indices.sorted(by: { (columns[$0].priority, $0) < (columns[$1].priority, $1) }) where included[index] {
            let grow = min(extra, natural[index] - widths[index])
            if grow > 0 {
                widths[index] += grow
                extra -= grow
            }
        }
        if extra > 0, let flex = columns.indices.last(where: { included[$0] && columns[$0].flexible }) {
            widths[flex] += extra
        }
        return widths
    }

    /// The first row shown so that the selected one is visible in `visibleRows`.
    public func scrollOffset(visibleRows: Int) -> Int {
        guard let selected, visibleRows > 0 else { return 0 }
        return max(0, selected - visibleRows + 1)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let widths = layout(width: area.width)
        let header = columns.map { Span($0.title, CellStyle(.header, [.bold])) }
        drawRow(header, widths: widths, y: area.y, area: area, isSelected: false, into: &buffer)
        let visible = area.height - 1
        guard visible > 0 else { return }
        let offset = scrollOffset(visibleRows: visible)
        for (line, index) in (offset..<min(rows.count, offset + visible)).enumerated() {
            drawRow(rows[index], widths: widths, y: area.y + 1 + line, area: area, isSelected: index == selected, into: &buffer)
        }
    }

    /// Draws one row (header or body) so both lay out identically.
    private func drawRow(_ cells: [Span], widths: [Int], y: Int, area: Rect, isSelected: Bool, into buffer: inout Buffer) {
        let row = Rect(x: area.x, y: y, width: area.width, height: 1)
        if isSelected {
            // The theme's selection role decides the look (a background colour, or reverse in monochrome).
            buffer.fill(row, with: Cell(" ", style: CellStyle(.selection)))
            buffer.write(glyphs.selectionMarker, x: area.x, y: y, style: CellStyle(.selection, [.bold]), clip: row)
        }
        var x = area.x + 2
        for (index, width) in widths.enumerated() where width > 0 {
            let span = index < cells.count ? cells[index] : Span("")
            let text = Truncate.pad(span.text, width: width, ellipsis: glyphs.ellipsis, alignRight: columns[index].alignRight)
            // The selected row keeps each coloured cell's role, so "master" stays readable, in reverse video.
            let style: CellStyle
            if !isSelected {
                style = span.style
            } else if span.style.role == .normal {
                style = CellStyle(.selection, span.style.attributes)
            } else {
                style = CellStyle(span.style.role, span.style.attributes.union(.reverse))
            }
            buffer.write(text, x: x, y: y, style: style, clip: row)
            x += width + gap
        }
    }
}
