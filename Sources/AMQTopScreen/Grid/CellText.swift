/// The cell-writing rules: what one grapheme of outside text becomes on the screen, so the
/// columns amqtop counts are the columns the terminal draws.
///
/// Terminals and curses measure a character with `wcwidth`, one scalar at a time, and they
/// disagree with each other on sequences: a family emoji joined by ZWJ is 2 columns in one
/// terminal and 6 in tmux, a flag 1, 2 or 4, a heart with VS16 1 or 2, a skin tone 2 or 4,
/// and curses refuses such a cell outright (`setcchar` takes one spacing character). Any
/// of those left the cells after it holding leftovers of earlier frames. So a grapheme is
/// written as one spacing scalar plus at most three combining marks, whose width every
/// terminal agrees on:
/// - a ZWJ sequence, an emoji with a skin tone or a variation selector keeps its first
///   scalar (the family's first person, the thumb without its tone, the heart as text);
/// - a flag (two regional indicators) becomes its two letters, `🇩🇪` → `DE`;
/// - bidi controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and the other invisible
///   format characters become a visible `?`: they would reorder or hide the text around
///   them (a name that reads differently from what it is), and they have no width of their own;
/// - C0/C1 control characters are dropped (escapes never reach the terminal raw);
/// - under a non-UTF-8 locale (`asciiOnly`) anything but printable ASCII is `?`, one
///   column, which is what curses then prints, so a wide name takes the columns it shows.
public enum CellText {
    /// The cells `grapheme` is written as, each a symbol and its width in columns (1 or 2); empty when dropped.
    public static func cells(_ grapheme: Character, asciiOnly: Bool = false) -> [(symbol: String, width: Int)] {
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return [] }
        if isControl(first.value) { return [] }
        if first.isASCII, scalars.count == 1 { return [(String(grapheme), 1)] }
        if asciiOnly { return [("?", 1)] }
        if isRegionalIndicator(first.value) {
            // A flag's letters: regional indicator A is U+1F1E6.
            return scalars.filter { isRegionalIndicator($0.value) }.prefix(2).map { scalar in
                (String(UnicodeScalar(UInt8(ascii: "A") + UInt8(scalar.value - 0x1F1E6))), 1)
            }
        }
        // One look-up of the category (it is a table search): a screen's box lines and dots
        // come through here for every cell of every frame.
        let category = first.properties.generalCategory
        if category == .format || isBidiControl(first.value) { return [("?", 1)] }
        if category == .nonspacingMark || category == .enclosingMark {
            // A mark with no base (at the start of a string): it would fall onto the cell before.
            return [("?", 1)]
        }
        let width = DisplayWidth.isWide(first.value) ? 2 : 1
        // A lone scalar (a box line, a dot, a letter with its accent precomposed) is itself.
        if scalars.count == 1 { return [(String(grapheme), width)] }
        var kept = String.UnicodeScalarView()
        kept.append(first)
        var marks = 0
        for scalar in scalars.dropFirst() {
            // Everything after a joiner belongs to the next picture of the sequence: not drawn.
            if scalar.value == 0x200D { break }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark:
                // Variation selectors are marks too; they only ask for another width.
                if isVariationSelector(scalar.value) || marks == 3 { continue }
                kept.append(scalar)
                marks += 1
            default:
                // Skin tones, tags, conjoining jamo, spacing marks: a second spacing scalar in one cell.
                continue
            }
        }
        return [(String(kept), width)]
    }

    /// The string `text` becomes on screen, cell symbols joined (for tests and plain output).
    public static func shown(_ text: String, asciiOnly: Bool = false) -> String {
        text.map { cells($0, asciiOnly: asciiOnly).map(\.symbol).joined() }.joined()
    }

    static func isControl(_ value: UInt32) -> Bool { value < 0x20 || (0x7F..<0xA0).contains(value) }

    static func isRegionalIndicator(_ value: UInt32) -> Bool { (0x1F1E6...0x1F1FF).contains(value) }

    static func isVariationSelector(_ value: UInt32) -> Bool {
        (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value)
    }

    /// The explicit bidi formatting characters: embeddings, overrides, isolates and marks.
    static func isBidiControl(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F || value == 0x061C
    }
}
