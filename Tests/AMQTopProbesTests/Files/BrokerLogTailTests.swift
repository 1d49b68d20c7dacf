import Foundation
import Testing
@testable import AMQTopProbes

/// `brokerLog:` tailing on real files: from the end at start, whole lines only, and across
/// a rename rotation (logrotate's default, log4j's RollingFileAppender) and a truncation
/// (copytruncate).
struct BrokerLogTailTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-tail-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func startsAtTheEndAndHandsOutWholeLines() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = "\(root)/activemq.log"
        try Self.append("old 1\nold 2\n", to: log)
        let tail = BrokerLogTail(path: log)
        #expect(tail.read().isEmpty)
        try Self.append("new 1\nnew 2 half", to: log)
        #expect(tail.read() == ["new 1"])
        try Self.append(" done\n", to: log)
        #expect(tail.read() == ["new 2 half done"])
        #expect(tail.read().isEmpty)
    }

    @Test func followsARenameRotationAndATruncation() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = "\(root)/activemq.log"
        try Self.append("before\n", to: log)
        let tail = BrokerLogTail(path: log)
        #expect(tail.read().isEmpty)
        // Written to the old file just before it is renamed away, then the new file begins.
        try Self.append("last of the old file\n", to: log)
        try FileManager.default.moveItem(atPath: log, toPath: "\(root)/activemq.log.1")
        try Self.append("first of the new file\n", to: log)
        #expect(tail.read() == ["last of the old file", "first of the new file"])
        // copytruncate: the same inode, shorter than what was read.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try Self.append("after truncation\n", to: log)
        #expect(tail.read() == ["after truncation"])
    }

    @Test func aMissingFileIsWaitedForAndReadFromItsStart() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = "\(root)/activemq.log"
        let tail = BrokerLogTail(path: log)
        #expect(tail.read().isEmpty)
        try Self.append("the broker started logging\n", to: log)
        #expect(tail.read() == ["the broker started logging"])
    }
}
