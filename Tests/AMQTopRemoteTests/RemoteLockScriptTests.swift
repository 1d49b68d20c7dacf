import AMQTopCore
import Foundation
import Testing
@testable import AMQTopRemote

/// The remote lock script run by a real `/bin/sh` on what may sit at a lock's path.
struct RemoteLockScriptTests {
    /// Runs the lock script on `path`; nil when it had not finished within ten seconds (then killed).
    private func runLockScript(on path: String) throws -> String? {
        let script = try #require(RemoteScripts.lock(file: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        // Read while it runs, so a full pipe can never be what holds it up.
        nonisolated(unsafe) var data = Data()
        let reader = Thread { data = output.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        guard finished.wait(timeout: .now() + 10) == .success else {
            // The shell's children (an `od` stuck opening the FIFO) first, then the shell.
            let reaper = Process()
            reaper.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
            reaper.arguments = ["-KILL", "-P", String(process.processIdentifier)]
            try? reaper.run()
            reaper.waitUntilExit()
            process.terminate()
            return nil
        }
        while !reader.isFinished { usleep(1000) }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aFifoAtTheLockPathIsOnlyStatedAndIsNoFreeLock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amqtop-fifo-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/lock", 0o644) == 0)

        // Opening the FIFO to read its bytes would wait for a writer that never comes.
        let text = try #require(try runLockScript(on: dir + "/lock"), "the lock script blocked on a FIFO")
        #expect(!text.contains("bytes"))
        #expect(!text.contains("getlk"))
        let view = RemoteParsers.lockView(text, host: "amq1")
        #expect(view.state == .error("is a fifo, not a regular file"))
        #expect(view.notRegular == "fifo")
        let merged = LockMerger.merge(path: dir + "/lock", atMillis: 0, views: [view], unreachable: [:])
        #expect(merged.snapshot.holder == .unknown("the lock path is a fifo"))
    }

    @Test func aRegularFileStillHasItsBytesRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amqtop-regular-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0, 0, 1, 0x93, 0x7f, 0x8b, 0x2c, 0]).write(to: URL(fileURLWithPath: dir + "/lock"))

        let text = try #require(try runLockScript(on: dir + "/lock"))
        let view = RemoteParsers.lockView(text, host: "amq1")
        #expect(view.state == .ok)
        #expect(view.notRegular == nil)
        #expect(view.bytes.flatMap { LockFileSnapshot.decodeTimestamp($0) } == 0x0000_0193_7f8b_2c00)
        let merged = LockMerger.merge(path: dir + "/lock", atMillis: 0, views: [view], unreachable: [:])
        #expect(merged.snapshot.holder == .free)
    }
}
