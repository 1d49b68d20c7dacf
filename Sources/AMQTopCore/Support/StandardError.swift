import Foundation

/// The one way amqtop writes to standard error: a line, and nothing happens when it cannot be written.
///
/// After an SSH session dropped, stderr is often the dead terminal: a write fails with EIO,
/// and `FileHandle.write(_:)` traps on a failed write, so a goodbye or error line crashed the
/// process (SIGILL, a core dump) just as it was leaving cleanly. `write(contentsOf:)` throws
/// instead, and a line nobody can read is not worth failing for.
public enum StandardError {
    /// Writes `line` and a newline to stderr; a failed write is ignored.
    ///
    /// The line's control characters, CR and LF included, are shown visibly
    /// (`TerminalText.visible`): error messages quote endpoints, files and the config.
    public static func line(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((TerminalText.visible(line) + "\n").utf8))
    }

    /// Writes amqtop's own multi-line `text` (a message with its hint on a second line): its
    /// line feeds stay line breaks, every other control character is shown visibly.
    ///
    /// Only for text amqtop wrote itself; anything quoting outside text goes through ``line(_:)``,
    /// where a line feed cannot start a line of its own.
    public static func lines(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((TerminalText.visibleLines(text) + "\n").utf8))
    }
}
