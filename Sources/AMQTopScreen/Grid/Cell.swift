/// One character position on the screen: a grapheme and its style.
///
/// A wide grapheme (CJK, most emoji) occupies its own cell and the one to its right; that
/// second cell is a *continuation* (empty symbol) which the terminal never writes, because
/// writing the wide grapheme already covered it.
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme shown here; "" for the right half of a wide grapheme.
    public private(set) var symbol: String
    public var style: CellStyle
    /// Columns this cell's symbol takes on a terminal (0 for a continuation).
    ///
    /// Stored, not computed: a frame's diff asks every cell's width, and measuring a
    /// non-ASCII symbol (box lines, dots) runs the cell-writing rules each time.
    public let width: Int

    public init(_ symbol: String = " ", style: CellStyle = .normal) {
        self.init(symbol, style: style, width: symbol.isEmpty ? 0 : DisplayWidth.of(symbol))
    }

    /// A cell whose width the writer already knows (it has just applied the cell rules).
    init(_ symbol: String, style: CellStyle, width: Int) {
        self.symbol = symbol
        self.style = style
        self.width = width
    }

    /// A blank cell in the normal style.
    public static let blank = Cell()

    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { symbol.isEmpty }
}
