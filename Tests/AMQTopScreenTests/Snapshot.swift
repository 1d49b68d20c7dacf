import Foundation
import Testing

/// Compares rendered text with a file in `Snapshots/`, or re-records it when `AMQTOP_RECORD_SNAPSHOTS=1`.
enum Snapshot {
    /// The folder beside this file, found from the source path so tests run from anywhere.
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var recording: Bool { ProcessInfo.processInfo.environment["AMQTOP_RECORD_SNAPSHOTS"] == "1" }

    static func assert(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        if recording || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if recording { return }
            Issue.record("recorded a new snapshot \(name).txt; check it and run again", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "snapshot \(name).txt differs; re-record with AMQTOP_RECORD_SNAPSHOTS=1\n--- expected\n\(expected)--- actual\n\(text)", sourceLocation: sourceLocation)
    }
}
