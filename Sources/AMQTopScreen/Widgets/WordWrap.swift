/// Breaks text into lines of at most a given width, at spaces where it can.
public enum WordWrap {
    /// The lines of `text` wrapped at `width` columns; later lines start with `indent`.
    ///
    /// A word longer than a whole line is cut hard, so no line is ever wider than `width`.
    public static func lines(_ text: String, width: Int, indent: String = "") -> [String] {
        guard width > 0 else { return [] }
        let indentWidth = DisplayWidth.of(indent)
        var out: [String] = []
        var line = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            let wordWidth = DisplayWidth.of(word)
            let sep = (line.isEmpty || line == indent) ? 0 : 1
            if used + sep + wordWidth <= width {
                line += (sep == 1 ? " " : "") + word
                used += sep + wordWidth
                continue
            }
            if !line.isEmpty {
                out.append(line)
                line = indent
                used = indentWidth
            }
            // Cut words that cannot fit on a line of their own.
            while used + DisplayWidth.of(word) > width {
                let head = Truncate.head(word, max(1, width - used))
                out.append(line + head)
                word = String(word.dropFirst(head.count))
                line = indent
                used = indentWidth
            }
            line += word
            used += DisplayWidth.of(word)
        }
        if !line.isEmpty && line != indent { out.append(line) }
        return out
    }
}
