/// Quotes values for the remote POSIX shell, so a config value is always one word of data.
///
/// Every value goes inside single quotes, where the shell expands nothing (`$`, backquotes,
/// `\`, newlines and spaces are literal); a single quote itself is closed, escaped and
/// reopened (`'\''`). NUL cannot be passed through a shell at all, so it is refused
/// (the config parser already rejects it in paths and arguments).
public enum ShellQuote {
    /// `value` as one single-quoted shell word; nil when it contains NUL.
    public static func quote(_ value: String) -> String? {
        guard !value.unicodeScalars.contains("\u{0}") else { return nil }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An argument list as one shell command line (each argument quoted); nil when one contains NUL.
    public static func command(_ arguments: [String]) -> String? {
        var words: [String] = []
        for argument in arguments {
            guard let word = quote(argument) else { return nil }
            words.append(word)
        }
        return words.joined(separator: " ")
    }
}
