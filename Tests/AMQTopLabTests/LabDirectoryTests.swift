import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `LabDirectory` on real files: which directories a lab may use, whose mark counts as a
/// live owner, and what a later start sweeps (only marked directories of dead owners).
@Suite struct LabDirectoryTests {
    private func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-labdir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mark(_ directory: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: directory + "/" + LabDirectory.markerName, atomically: true, encoding: .utf8)
    }

    @Test func marksRecordThisProcessAndItsStartTime() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let claimed = try LabDirectory.claim(root + "/new/deeper")
        #expect(claimed == root + "/new/deeper")
        let owner = try #require(LabDirectory.owner(of: claimed))
        #expect(owner.pid == getpid())
        #expect(owner.startTime == LabDirectory.startTime(of: getpid()))
        #expect(LabDirectory.isAlive(owner))
        // Claiming its own directory again is fine (the same process).
        #expect(try LabDirectory.claim(claimed) == claimed)
    }

    @Test(arguments: [
        ("pid 1\nstart 18446744073709551615\n", false), // pid 1 runs, but did not start then (a recycled pid)
        ("pid 999999999\nstart 5\n", false),  // no such process
        ("start 5\n", nil),                   // no pid: not a mark at all
        ("pid -4\nstart 5\n", nil),
        ("pid 12 13\nstart x\n", nil),
        ("", nil),
        ("\u{1B}[2J garbage", nil),
    ] as [(String, Bool?)])
    func marksParseStrictlyAndDeadOrRecycledOwnersAreNotAlive(_ text: String, _ alive: Bool?) throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try mark(root, text)
        let owner = LabDirectory.owner(of: root)
        #expect(owner.map(LabDirectory.isAlive) == alive, "\(text.debugDescription)")
    }

    @Test func aSweepRemovesOnlyMarkedDirectoriesOfDeadOwners() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let myStart = try #require(LabDirectory.startTime(of: getpid()))
        try mark(root + "/dead", "pid 999999999\nstart 5\n")
        try mark(root + "/recycled", "pid \(getpid())\nstart \(myStart + 1)\n")
        try mark(root + "/alive", "pid \(getpid())\nstart \(myStart)\n")
        try mark(root + "/garbage", "not a mark")
        try FileManager.default.createDirectory(atPath: root + "/unmarked", withIntermediateDirectories: true)
        // A symlink to a dead lab directory elsewhere: neither followed nor removed.
        let outside = try scratch()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try mark(outside + "/elsewhere", "pid 999999999\nstart 5\n")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: outside + "/elsewhere")

        let removed = LabDirectory.removeStale(under: root)
        #expect(removed == [root + "/dead", root + "/recycled"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: root)) == ["alive", "garbage", "unmarked", "link"])
        #expect(FileManager.default.fileExists(atPath: outside + "/elsewhere/" + LabDirectory.markerName))
    }

    @Test func aMarkWithGarbageInANonEmptyDirectoryIsRefused() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try mark(root, "pid x\n")
        try "mine\n".write(toFile: root + "/amqtop.yaml", atomically: true, encoding: .utf8)
        #expect(throws: LabDirectory.Refusal.self) { try LabDirectory.claim(root) }
        #expect(try String(contentsOfFile: root + "/" + LabDirectory.markerName, encoding: .utf8) == "pid x\n")
    }

    @Test func withoutDirTheParentIsTheRuntimeDirectoryElseTheStateDirectory() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(LabDirectory.parent(environment: ["XDG_RUNTIME_DIR": root]) == root + "/amqtop/labs")
        // Relative or missing runtime directories are not used.
        #expect(LabDirectory.parent(environment: ["XDG_RUNTIME_DIR": "relative", "XDG_STATE_HOME": root]) == root + "/amqtop/labs")
        #expect(LabDirectory.parent(environment: ["XDG_RUNTIME_DIR": root + "/missing", "XDG_STATE_HOME": root + "/s"]) == root + "/s/amqtop/labs")
    }
}
