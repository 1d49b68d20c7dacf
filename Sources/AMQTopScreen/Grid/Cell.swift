/// One character position on the screen: a grapheme and its style.
///
/// A wide grapheme (CJK, most emoji) occupies its own cell and the one to its right; that
/// second cell is a *continuation* (empty symbol) which the terminal never writes, because
/// writing the wide grapheme already covered it.
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme shown here; "" for the right half of a wide grapheme.
    public var symbol: String
    public var style: CellStyle

    public init(_ symbol: String = " ", style: CellStyle = .normal) {
        self.symbol = symbol
        self.style = style
    }

    /// A blank cell in the normal style.
    public static let blank = Cell()

    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { symbol.isEmpty }

    /// Columns this cell's symbol takes on a terminal (0 for a continuation).
    public var width: Int { symbol.isEmpty ? 0 : DisplayWidth.of(symbol) }
}
