/// Prints a buffer as plain text lines, for snapshot tests and `--dump` style output.
public enum TextRenderer {
    /// One line per row, trailing spaces removed, joined with newlines (with a final newline).
    public static func render(_ buffer: Buffer) -> String {
        var out = ""
        for y in 0..<buffer.height {
            var line = buffer.rowText(y)
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
