import AMQTopCore
import Foundation
import Testing

@testable import AMQTopActions

/// `amqtop audit` reads its log in chunks with bounded memory and refuses what is no file (issue 14).
@Suite struct AuditLogStreamingTests {
    static func entry(_ index: Int, detail: String = "ok") -> AuditEntry {
        AuditEntry(atMillis: 1_700_000_000_000 + Int64(index), user: "ops", sshClient: nil, host: "h", group: "orders",
                   broker: "b\(index)", method: "jolokia", result: "sent", detail: detail)
    }

    /// Entries across chunk boundaries, blank lines, garbage and a line longer than the cap.
    @Test func entriesAcrossChunksAndOverlongLines() throws {
        let directory = try StopExecutorTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let encoder = JSONEncoder()
        var lines: [Data] = []
        for index in 0..<2000 { lines.append(try encoder.encode(Self.entry(index, detail: String(repeating: "d", count: index % 97)))) }
        lines.insert(Data("not json".utf8), at: 10)
        lines.insert(Data(), at: 11)
        lines.insert(Data(repeating: 0x7B, count: AuditLog.maxLineBytes * 3), at: 500)
        lines.insert(try encoder.encode(Self.entry(9999, detail: String(repeating: "x", count: AuditLog.maxLineBytes))), at: 900)
        var file = Data()
        for line in lines { file += line + Data([0x0A]) }
        file += try encoder.encode(Self.entry(2000))  // no final newline
        try file.write(to: URL(fileURLWithPath: directory + "/audit.log"))

        var brokers: [String] = []
        var bad: [Int] = []
        try AuditLog(path: directory + "/audit.log").forEach({ brokers.append($0.broker) }, badLine: { bad.append($0) })
        #expect(brokers == (0...2000).map { "b\($0)" })
        // Line numbers are 1-based: garbage, the 192 KiB line, the entry past the cap.
        #expect(bad == [11, 501, 901])
    }

    @Test func aMissingLogHasNoEntriesAndAFIFOIsRefusedByName() throws {
        let directory = try StopExecutorTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try AuditLog(path: directory + "/none.log").read().entries.isEmpty)
        #expect(mkfifo(directory + "/fifo.log", 0o600) == 0)
        #expect(throws: AuditLog.Failure(description: "\(directory)/fifo.log: is a FIFO (named pipe), not a regular file")) {
            try AuditLog(path: directory + "/fifo.log").read()
        }
        #expect(throws: AuditLog.Failure(description: "/dev/zero: is a character device, not a regular file")) {
            try AuditLog(path: "/dev/zero").read()
        }
    }
}
