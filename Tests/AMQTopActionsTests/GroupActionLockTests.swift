import Foundation
import Testing

@testable import AMQTopActions

/// amqtop's own per-group action lock on real files: exclusive per open file (so per process
/// and within one), named after any group safely, refused with the holder's pid, never waiting.
@Suite struct GroupActionLockTests {
    private func scratch() -> String { NSTemporaryDirectory() + "amqtop-action-lock-" + UUID().uuidString }

    @Test func aHeldGroupIsRefusedWithTheHoldersPidUntilReleased() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try GroupActionLock.acquire(group: "orders", directory: directory)
        let refusal = #expect(throws: GroupActionLock.Failure.self) { try GroupActionLock.acquire(group: "orders", directory: directory) }
        #expect(refusal == .held(group: "orders", pid: getpid(), path: first.path))
        #expect(refusal?.description.contains("pid \(getpid())") == true)
        // Other groups are free meanwhile.
        let other = try GroupActionLock.acquire(group: "billing", directory: directory)
        first.release()
        first.release()
        let again = try GroupActionLock.acquire(group: "orders", directory: directory)
        #expect(again.path == first.path)
        again.release()
        other.release()
    }

    @Test func droppingTheLastReferenceReleasesIt() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do { _ = try GroupActionLock.acquire(group: "orders", directory: directory) }
        #expect(throws: Never.self) { try GroupActionLock.acquire(group: "orders", directory: directory).release() }
    }

    @Test(arguments: [
        ("orders", "orders.lock"), ("../etc", "%2E%2E%2Fetc.lock"), ("a/b", "a%2Fb.lock"), ("", "%.lock"),
        ("x y", "x%20y.lock"), ("grüne", "gr%C3%BCne.lock"), (".", "%2E.lock"),
    ])
    func everyGroupNameIsOnePlainFileInTheDirectory(group: String, file: String) throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(GroupActionLock.path(group: group, directory: directory) == directory + "/" + file)
        let lock = try GroupActionLock.acquire(group: group, directory: directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [file])
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
        lock.release()
    }

    @Test func aStateDirectoryThatCannotBeMadeIsAPlainRefusal() throws {
        let plain = scratch()
        _ = FileManager.default.createFile(atPath: plain, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let failure = #expect(throws: GroupActionLock.Failure.self) { try GroupActionLock.acquire(group: "orders", directory: plain + "/locks") }
        let text = failure?.description ?? ""
        #expect(text.contains(plain + "/locks") && text.contains("Not a directory"), "\(text)")
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("Error Domain"), "\(text)")
    }

    @Test func aFIFOOrSymlinkPlantedAsTheLockFileIsRefusedWithoutWaiting() throws {
        let directory = scratch()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mkfifo(directory + "/fifo.lock", 0o600) == 0)
        let fifo = #expect(throws: GroupActionLock.Failure.self) { try GroupActionLock.acquire(group: "fifo", directory: directory) }
        #expect(fifo?.description.contains("not a regular file") == true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.lock", withDestinationPath: directory + "/elsewhere")
        #expect(throws: GroupActionLock.Failure.self) { try GroupActionLock.acquire(group: "link", directory: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory + "/elsewhere"), "the symlink was followed")
    }
}
