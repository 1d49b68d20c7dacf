import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The fault suite's lock files (issue 6) beyond `LockFileReaderTests`: a file replaced
/// between two reads, a directory that vanishes, a file amqtop may not read, and a soak
/// at the fastest cadence beside a real POSIX lock.
@Suite struct LockFileFaultTests {
    let reader = LockFileReader()

    /// Sets the file's atime and mtime to a fixed past instant, so any later write shows.
    static func backdate(_ path: String) -> Bool {
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789)]
        return utimensat(AT_FDCWD, path, &times, 0) == 0
    }

    @Test func replacedBetweenTwoReadsShowsTheNewInodeAndTimestamp() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000)
        #expect(Self.backdate(path))
        // A holder on the old file: after the rename its lock stays on the old inode, which
        // is no longer the file at the path (what a broker on a replaced lock file would face).
        let holder = try LockHolderProcess(path: path, length: 0)
        #expect(await holder.waitUntilLocked(millis: 5000))
        let first = reader.read(path: path)
        #expect(first.state == .ok && first.holder == .pid(holder.pid))

        // The new file exists beside the old one before the rename, so its inode must differ.
        try LockFileReaderTests.writeLockFile(path + ".new", millis: 1_718_000_999_000)
        #expect(rename(path + ".new", path) == 0)
        let second = reader.read(path: path)
        await holder.finish()

        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(second.state == .ok)
        #expect(second.inode == UInt64(info.st_ino))
        #expect(second.inode != first.inode, "inode \(String(describing: second.inode)) after the rename")
        #expect(second.acquiredAtMillis == 1_718_000_999_000)
        #expect(second.mtimeNanos == Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        #expect(second.mtimeNanos != first.mtimeNanos)
        #expect(second.holder == .free, "the old inode's lock must not be credited to the new file")
    }

    @Test func directoryThatVanishesIsMissing() async throws {
        let directory = try TemporaryDirectory()
        let kahadb = directory.path + "/kahadb"
        #expect(mkdir(kahadb, 0o755) == 0)
        let path = kahadb + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_764_000_000_042)
        #expect(reader.read(path: path).state == .ok)

        try FileManager.default.removeItem(atPath: kahadb)
        let gone = reader.read(path: path)
        #expect(gone.state == .missing)
        #expect(gone.acquiredAtMillis == nil && gone.inode == nil)
        // Through the probe (its own thread, its own deadline) as the poller uses it.
        let probe = LockFileProbe(timeoutMillis: 1000)
        #expect(await probe.read(path: path).state == .missing)

        // Back again: read as usual, no state kept from the vanished one.
        #expect(mkdir(kahadb, 0o755) == 0)
        try LockFileReaderTests.writeLockFile(path, millis: 1_764_000_000_043)
        #expect(await probe.read(path: path).acquiredAtMillis == 1_764_000_000_043)
    }

    /// The snapshot of a file that cannot be opened, called directly: tests run as root,
    /// which opens any file, so the `open` failure is what `amqtopAsNobody` below provokes.
    @Test func unreadableFileStillNamesTheHolderFromProcLocks() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000)
        var info = stat()
        #expect(stat(path, &info) == 0)

        let free = reader.unreadable(path: path, atMillis: 0)
        #expect(free.state == .permissionDenied)
        #expect(free.inode == UInt64(info.st_ino) && free.size == 8)
        #expect(free.acquiredAtMillis == nil, "the timestamp needs a read")
        #expect(free.holder == .free, "nobody holds it, and /proc/locks is complete on a local filesystem")

        let holder = try LockHolderProcess(path: path, length: 0)
        #expect(await holder.waitUntilLocked(millis: 5000))
        let held = reader.unreadable(path: path, atMillis: 0)
        await holder.finish()
        #expect(held.holder == .pid(holder.pid), "an unreadable lock file is not a free lock")
    }

    /// The real case: `amqtop status --json` on a lock file it may not read, held by another
    /// process. As root (CI) it runs as user nobody through `setpriv` on a root-owned 0600
    /// file; as another user, as that user on a chmod 000 file it owns. A missing `setpriv`
    /// or `amqtop` is a failure: a skip here would let CI pass without the case.
    @Test func amqtopAsNobodyReportsPermissionDeniedAndTheHolder() async throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("amqtop").path
        let setpriv = "/usr/bin/setpriv"
        let asRoot = getuid() == 0
        try #require(FileManager.default.isExecutableFile(atPath: executable), "no built amqtop at \(executable)")
        if asRoot {
            try #require(FileManager.default.isExecutableFile(atPath: setpriv), "\(setpriv) is missing (Debian's util-linux)")
        }
        let directory = try TemporaryDirectory()
        // nobody must reach the file (the directory is 0700 from mkdtemp) but not read it.
        #expect(chmod(directory.path, 0o755) == 0)
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000)
        #expect(chmod(path, 0o600) == 0)
        let holder = try LockHolderProcess(path: path, length: 0)
        #expect(await holder.waitUntilLocked(millis: 5000))
        // The holder has its descriptor; now its owner may not read the file either.
        if !asRoot {
            #expect(chmod(path, 0) == 0)
        }
        let output = directory.path + "/status.json"
        #expect(FileManager.default.createFile(atPath: output, contents: nil))

        let port = try TestHTTPServer.refusedPort()
        let process = Process()
        let arguments = ["status", "--json", "--lock-file", path, "--broker", "b1=http://127.0.0.1:\(port)/api/jolokia", "--timeout", "1s"]
        if asRoot {
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        // HOME=/: nobody's own home may not exist; nothing here should need one.
        process.environment = ["HOME": "/", "PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        let exited = await Waiting.until(millis: 30_000) { !process.isRunning }
        if !exited {
            kill(process.processIdentifier, SIGKILL)
            _ = await Waiting.until(millis: 5000) { !process.isRunning }
        }
        await holder.finish()
        #expect(exited, "amqtop status as nobody did not finish")

        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
        let groups = try #require(document["groups"] as? [[String: Any]])
        let lock = try #require(groups.first?["lock"] as? [String: Any])
        #expect(lock["state"] as? String == "permissionDenied", "\(lock)")
        #expect(lock["holderPid"] as? Int == Int(holder.pid), "\(lock)")
        #expect(lock["held"] as? Bool == true, "\(lock)")
    }

    /// A real POSIX lock held by another process while the poller reads the file every
    /// 10 ms for 20 s: the bytes, mtime (ns) and ctime never change and the holder keeps
    /// its lock. The full ten-minute run belongs in `Benchmarks/`, outside the test run.
    @Test func twentySecondsAtTheFastestCadenceLeaveTheLockAlone() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try LockFileReaderTests.writeLockFile(path, millis: 1_718_000_000_000, extra: 100)
        #expect(Self.backdate(path))
        let holder = try LockHolderProcess(path: path, length: 0)
        #expect(await holder.waitUntilLocked(millis: 5000))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var statBefore = stat()
        #expect(stat(path, &statBefore) == 0)

        let config = AppConfig(pollMillis: 60_000, lockPollMillis: 10, timeoutMillis: 1000, groups: [
            GroupConfig(name: "g", lockFile: path, brokers: [])
        ])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let poller = Poller(config: config, prober: GroupProber(config: config, http: http))
        let collector = PollerTests.Collector(poller.updates)
        await poller.start()

        // Check once a second that nothing has moved, failing early rather than at the end.
        let started = ContinuousClock.now
        var intact = true
        while intact, ContinuousClock.now - started < .seconds(20) {
            try? await Task.sleep(for: .seconds(1))
            var now = stat()
            intact = stat(path, &now) == 0 && now.st_mtim.tv_nsec == statBefore.st_mtim.tv_nsec
                && now.st_ctim.tv_nsec == statBefore.st_ctim.tv_nsec && holder.process.isRunning
        }
        await poller.stop()
        await collector.finished()
        await http.shutdown()
        let stillListed = ProcLock.parse(ProcFile.text("/proc/locks") ?? "").contains { $0.pid == holder.pid }
        await holder.finish()

        #expect(intact, "the file or its holder changed during the soak")
        #expect(stillListed, "the holder lost its lock")
        var statAfter = stat()
        #expect(stat(path, &statAfter) == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(statAfter.st_mtim.tv_sec == statBefore.st_mtim.tv_sec && statAfter.st_mtim.tv_nsec == statBefore.st_mtim.tv_nsec)
        #expect(statAfter.st_ctim.tv_sec == statBefore.st_ctim.tv_sec && statAfter.st_ctim.tv_nsec == statBefore.st_ctim.tv_nsec)
        #expect(statAfter.st_ino == statBefore.st_ino && statAfter.st_size == statBefore.st_size)

        // Every read saw the holder and the timestamp; and the cadence really was fast: 2000
        // reads are due, and half of them leaves room for a loaded two-core machine (the
        // real-ActiveMQ soak makes about 90%), not for a cadence several times too slow.
        let snapshots = collector.updates.compactMap { item -> LockFileSnapshot? in
            if case .lock(_, let snapshot) = item.update { return snapshot } else { return nil }
        }
        #expect(snapshots.count >= 1000, "only \(snapshots.count) lock reads in 20 s (2000 due)")
        #expect(snapshots.allSatisfy { $0.holder == .pid(holder.pid) && $0.acquiredAtMillis == 1_718_000_000_000 },
                "\(snapshots.filter { $0.holder != .pid(holder.pid) }.prefix(3))")
        print("LockFileFaultTests: \(snapshots.count) lock reads in 20 s at lockPoll 10 ms; file and lock untouched")
    }
}
