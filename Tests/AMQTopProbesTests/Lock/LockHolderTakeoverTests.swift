import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The reader keeps its copy of /proc/locks while F_GETLK agrees with it, and a new holder
/// still shows in the very next read: a copy that does not list F_GETLK's pid is read again.
@Suite struct LockHolderTakeoverTests {
    /// A /proc/locks line for a POSIX write lock of `pid` on the file at `snapshot`'s device and inode.
    static func procLine(pid: Int32, _ snapshot: LockFileSnapshot) throws -> String {
        let (major, minor) = LockFileReader.split(device: try #require(snapshot.device))
        return "1: POSIX  ADVISORY  WRITE \(pid) \(String(major, radix: 16)):\(String(minor, radix: 16)):\(try #require(snapshot.inode)) 0 EOF\n"
    }

    @Test func aNewHolderShowsInTheVeryNextReadAfterManyReadsOfTheOldOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000)
        let reader = LockFileReader()
        let first = try LockHolderProcess(path: path, length: 0)
        #expect(await first.waitUntilLocked(millis: 5000))
        for _ in 0..<20 { #expect(reader.read(path: path).holder == .pid(first.pid)) }
        await first.finish()
        #expect(reader.read(path: path).holder == .free)
        let second = try LockHolderProcess(path: path, length: 0)
        #expect(await second.waitUntilLocked(millis: 5000))
        let next = reader.read(path: path)
        await second.finish()
        #expect(next.holder == .pid(second.pid))
        #expect(next.holder != .pid(first.pid))
    }

    /// The lock table is a file the test writes, so what the reader saw in it is known: a copy
    /// listing the old holder is not trusted once F_GETLK names another pid, even within the
    /// copy's usual 100 ms.
    @Test func aCopyThatMissesFGetlksPidIsReadAgainAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000)
        let table = directory.path + "/locks"
        let reader = LockFileReader(procLocksPath: table)
        let first = try LockHolderProcess(path: path, length: 0)
        #expect(await first.waitUntilLocked(millis: 5000))
        let stat = reader.read(path: path)
        try Self.procLine(pid: first.pid, stat).write(toFile: table, atomically: true, encoding: .utf8)
        #expect(reader.read(path: path).holder == .pid(first.pid))
        // The table now says nobody, but F_GETLK still names the first holder, which the copy
        // lists: the answer stands (the table is not the authority on a local filesystem).
        try "".write(toFile: table, atomically: true, encoding: .utf8)
        #expect(reader.read(path: path).holder == .pid(first.pid))
        await first.finish()

        let second = try LockHolderProcess(path: path, length: 0)
        #expect(await second.waitUntilLocked(millis: 5000))
        // The test's table names another pid than F_GETLK gives: the answer comes from the
        // table, so it shows that the reader read it again at once instead of keeping its copy.
        try Self.procLine(pid: 777_777, stat).write(toFile: table, atomically: true, encoding: .utf8)
        let next = reader.read(path: path)
        await second.finish()
        #expect(next.holder == .pid(777_777))
    }
}
