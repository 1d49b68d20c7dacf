import Foundation

/// Splits a followed log's bytes into complete lines, holding the unfinished last one.
///
/// Shared by the local tail (`BrokerLogTail`) and the one through a host's session
/// (`RemoteLogTail`, AMQTopRemote), so both cut and end lines alike: without their line ends,
/// decoded as UTF-8 (lossy: a log is data), and a line longer than `limitBytes` cut rather
/// than held without bound.
public struct LogLineSplitter: Sendable {
    /// The most an unfinished line may hold before it is handed out as it is.
    public let limitBytes: Int
    private var partial = Data()

    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// Adds bytes that followed; returns the lines they completed.
    public mutating func take(_ bytes: Data) -> [String] {
        partial.append(bytes)
        var lines: [String] = []
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
            partial.removeSubrange(partial.startIndex...newline)
        }
        if partial.count > limitBytes {
            lines.append(String(decoding: partial, as: UTF8.self))
            partial.removeAll()
        }
        return lines
    }

    /// The file ended (rotated away): its unfinished last line, if any, ends with it.
    public mutating func finish() -> String? {
        defer { partial.removeAll() }
        return partial.isEmpty ? nil : String(decoding: partial, as: UTF8.self)
    }

    /// Drops the unfinished line (the file was truncated: what follows was written after).
    public mutating func drop() {
        partial.removeAll()
    }
}
