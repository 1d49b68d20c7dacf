/// Text read from a broker's log, made safe to store and to print.
///
/// A log is outside text: a broker name or path in it may hold escape sequences or other
/// control characters, which must never reach a terminal (or the history file) raw.
public enum LogText {
    /// `text` with every control character replaced by `?`, cut to `limit` characters.
    public static func printable<S: StringProtocol>(_ text: S, limit: Int = 200) -> String {
        var result = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else { break }
            let control = scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator
            result.append(control ? "?" : scalar)
            count += 1
        }
        return String(result)
    }
}
