/// How many terminal columns text takes, without asking the C library.
///
/// `wcwidth` depends on the process locale; the screen layer is pure, so it carries a small
/// table of the East Asian wide ranges instead. A grapheme counts as the cells the buffer
/// writes for it (`CellText`: its first scalar's width, a flag's two letters, a bidi
/// control's `?`), so layout and drawing never disagree. Combining marks are part of their
/// grapheme cluster and so never count on their own.
public enum DisplayWidth {
    /// The columns one grapheme takes as the buffer writes it (UTF-8 terminal): 0 for control characters.
    public static func of(_ grapheme: Character) -> Int {
        CellText.cells(grapheme).reduce(0) { $0 + $1.width }
    }

    /// The columns a string takes.
    public static func of(_ text: String) -> Int {
        // Most of a screen is printable ASCII: a column a byte, no grapheme breaking needed.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for grapheme in text { total += of(grapheme) }
        return total
    }

    /// Whether a scalar is in an East Asian Wide or Fullwidth block.
    static func isWide(_ value: UInt32) -> Bool {
        // The emoji planes: wide exactly when emoji is the default presentation (as East
        // Asian Width, and so glibc's wcwidth, has it since Unicode 9); U+1F3F3 (white flag)
        // is text by default and one column. Regional indicators are one column each.
        if (0x1F000...0x1FAFF).contains(value) {
            if (0x1F1E6...0x1F1FF).contains(value) { return false }
            return Unicode.Scalar(value)?.properties.isEmojiPresentation ?? false
        }
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
            0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
            0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A,
            0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
            0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
