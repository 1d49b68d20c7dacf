/// The one sanitiser for human-readable output: control characters shown, never executed.
///
/// Text from endpoints (versions, error messages, connector addresses), from files and
/// from the config reached `amqtop status` and `amqtop audit` raw: an ESC cleared the
/// screen or set the window title, a CR or LF forged a table row. Every such character is
/// written as a visible escape instead: C0 controls as `\x1b`, DEL, C1 controls, bidi
/// overrides and line separators as `\u202e`. The `\u` form is also a JSON and YAML escape
/// for the same character, so a machine document passed through here keeps its meaning;
/// JSON never holds a raw C0 control, so the `\x` form never lands inside one.
/// `StandardOutput` and `StandardError` apply it, so no new text can bypass it.
public enum TerminalText {
    /// `text` with every control character, line break included, written visibly: one line.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.append(scalar)
                continue
            }
            result.append(contentsOf: escape(scalar).unicodeScalars)
        }
        return String(result)
    }

    /// `text` with its line feeds kept as line breaks and every other control written visibly.
    public static func visibleLines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        // Split on scalars: to Swift's `Character` "\r\n" is one grapheme, not a line feed.
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { visible(String(String.UnicodeScalarView($0))) }.joined(separator: "\n")
    }

    /// True for the characters a terminal acts on instead of drawing.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Arabic letter mark, LRM/RLM, line/paragraph separators, the embeddings, overrides
        // and isolates: they reorder or break what follows them on the line.
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x20 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
