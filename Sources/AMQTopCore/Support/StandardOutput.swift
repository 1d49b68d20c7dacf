import Foundation

/// Writes to standard output without ever trapping.
///
/// `FileHandle.write(_:)` traps when the write fails (EIO on a terminal that went away,
/// EPIPE when `amqtop status | head` closed its end); a report that cannot be delivered is
/// lost either way, so the process goes on to exit with its status code instead of dying.
public enum StandardOutput {
    /// Writes `text` as UTF-8; a failed write is ignored.
    public static func write(_ text: String) {
        write(Data(text.utf8))
    }

    /// Writes `data`; a failed write is ignored.
    public static func write(_ data: Data) {
        try? FileHandle.standardOutput.write(contentsOf: data)
    }
}
