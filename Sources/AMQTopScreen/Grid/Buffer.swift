/// A grid of cells that widgets draw a whole frame into.
///
/// Nothing here touches a terminal: a frame is drawn whole into a buffer, then compared
/// with the previous one (`BufferDiff`) so only changed cells are sent. Every write clips
/// at the edges, so widgets may draw without checking sizes, and 0x0 or 1x1 buffers are fine.
public struct Buffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells; `width * height` of them.
    public private(set) var cells: [Cell]
    /// True for a terminal without UTF-8 (`LANG=C`): every non-ASCII grapheme is written as a one-column `?`.
    public let asciiOnly: Bool

    public init(width: Int, height: Int, fill: Cell = .blank, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
        self.asciiOnly = asciiOnly
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(width: width, height: height) }

    /// The cell at a position; a blank cell outside.
    public subscript(x: Int, y: Int) -> Cell {
        get { area.contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set {
            guard area.contains(x: x, y: y) else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Fills a rectangle (clipped) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let clipped = rect.intersection(area)
        for row in clipped.y..<clipped.bottom {
            for column in clipped.x..<clipped.right { cells[row * width + column] = cell }
        }
    }

    /// Sets the style of every cell in a rectangle, keeping their symbols.
    public mutating func setStyle(_ rect: Rect, _ style: CellStyle) {
        let clipped = rect.intersection(area)
        for row in clipped.y..<clipped.bottom {
            for column in clipped.x..<clipped.right { cells[row * width + column].style = style }
        }
    }

    /// Writes text from a position, left to right, clipped to `clip` and the buffer.
    ///
    /// Each grapheme goes through the cell-writing rules (`CellText`: control characters
    /// dropped, bidi controls shown as `?`, emoji sequences cut to what every terminal draws
    /// alike, `?` for non-ASCII on an ASCII-only terminal). A wide grapheme that would only
    /// half fit is replaced by a space, so a frame never holds half a character. Returns the
    /// column after the last written cell.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .normal, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.bottom else { return x + DisplayWidth.of(text) }
        var column = x
        for grapheme in text {
            // Most of a screen is printable ASCII: one cell of its own, no rules to apply.
            if let byte = grapheme.asciiValue, byte >= 0x20, byte < 0x7F {
                guard place(String(grapheme), width: 1, at: &column, y: y, style: style, bounds: bounds) else { return column }
                continue
            }
            for (symbol, w) in CellText.cells(grapheme, asciiOnly: asciiOnly) {
                guard place(symbol, width: w, at: &column, y: y, style: style, bounds: bounds) else { return column }
            }
        }
        return column
    }

    /// Writes one cell's symbol at `column` (two cells for a wide one) and moves `column` on;
    /// false once `column` is past the right edge, where the write stops.
    private mutating func place(_ symbol: String, width w: Int, at column: inout Int, y: Int, style: CellStyle, bounds: Rect) -> Bool {
        if column >= bounds.right { return false }
        if column >= bounds.x {
            if w == 2 && column + 1 >= bounds.right {
                clearWide(at: column, y: y, style: style)
                self[column, y] = Cell(" ", style: style, width: 1)
            } else {
                clearWide(at: column, y: y, style: style)
                self[column, y] = Cell(symbol, style: style, width: w)
                if w == 2 {
                    clearWide(at: column + 1, y: y, style: style)
                    self[column + 1, y] = Cell("", style: style, width: 0)
                }
            }
        } else if w == 2 && column + 1 == bounds.x {
            // The left half is clipped away; keep the visible half blank.
            clearWide(at: column + 1, y: y, style: style)
            self[column + 1, y] = Cell(" ", style: style, width: 1)
        }
        column += w
        return true
    }

    /// Before overwriting a cell, blanks the other half of any wide grapheme it belongs to.
    private mutating func clearWide(at x: Int, y: Int, style: CellStyle) {
        let cell = self[x, y]
        if cell.isContinuation, x > 0 {
            self[x - 1, y] = Cell(" ", style: self[x - 1, y].style, width: 1)
        } else if cell.width == 2, self[x + 1, y].isContinuation {
            self[x + 1, y] = Cell(" ", style: self[x + 1, y].style, width: 1)
        }
    }

    /// The text of one row (continuations skipped), trailing blanks kept.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var line = ""
        for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].symbol }
        return line
    }
}
