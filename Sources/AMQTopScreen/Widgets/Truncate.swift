/// Cuts text to a number of columns, marking the cut with the ellipsis glyph.
public enum Truncate {
    /// `text` if it fits in `width` columns, otherwise its head plus `ellipsis`.
    public static func fit(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let markWidth = DisplayWidth.of(ellipsis)
        guard width > markWidth else { return head(ellipsis, width) }
        return head(text, width - markWidth) + ellipsis
    }

    /// The longest prefix of `text` that fits in `width` columns.
    public static func head(_ text: String, _ width: Int) -> String {
        var out = ""
        var used = 0
        for grapheme in text {
            let w = DisplayWidth.of(grapheme)
            if used + w > width { break }
            out.append(grapheme)
            used += w
        }
        return out
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, width: Int, ellipsis: String = "…", alignRight: Bool = false) -> String {
        let fitted = fit(text, width: width, ellipsis: ellipsis)
        let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(fitted)))
        return alignRight ? gap + fitted : fitted + gap
    }
}
