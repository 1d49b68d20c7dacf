import Foundation

/// Writes to standard output without ever trapping.
///
/// `FileHandle.write(_:)` traps when the write fails (EIO on a terminal that went away,
/// EPIPE when `amqtop status | head` closed its end); a report that cannot be delivered is
/// lost either way, so the process goes on to exit with its status code instead of dying.
public enum StandardOutput {
    /// Writes `text` as UTF-8 with every control character but the line feed shown visibly
    /// (`TerminalText.visibleLines`); a failed write is ignored.
    public static func write(_ text: String) {
        writeRaw(Data(TerminalText.visibleLines(text).utf8))
    }

    /// Writes `data` (a JSON document from `JSONEncoder`, which escapes every control
    /// character itself); a failed write is ignored.
    public static func write(json data: Data) {
        writeRaw(data)
    }

    private static func writeRaw(_ data: Data) {
        try? FileHandle.standardOutput.write(contentsOf: data)
    }
}
