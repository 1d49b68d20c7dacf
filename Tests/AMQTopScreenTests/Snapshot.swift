import AMQTopTestSupport
import Foundation
import Testing

/// Compares rendered text with a file in `Snapshots/`, or re-records it when `AMQTOP_RECORD_SNAPSHOTS=1`.
///
/// Under CI nothing is ever written: a recording run would pass by rewriting what it
/// checks, so there `AMQTOP_RECORD_SNAPSHOTS` is ignored and a missing snapshot fails.
enum Snapshot {
    /// The folder beside this file, found from the source path so tests run from anywhere.
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// True when the developer asked to re-record; never under CI.
    static var recording: Bool { CIEnvironment.developerSetting("AMQTOP_RECORD_SNAPSHOTS") == "1" }

    /// Whether a missing or differing snapshot may be written: on a developer's machine only.
    static var mayWrite: Bool { !CIEnvironment.isCI }

    static func assert(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        let exists = FileManager.default.fileExists(atPath: url.path)
        if !exists && !mayWrite {
            Issue.record("snapshot \(name).txt is missing; CI never records one (record it locally and commit it)\n\(text)", sourceLocation: sourceLocation)
            return
        }
        if recording || !exists {
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
