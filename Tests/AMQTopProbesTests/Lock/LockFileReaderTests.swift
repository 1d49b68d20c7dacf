import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The lock-file reader on real files: every state, a holder in another process, no side effects.
@Suite struct LockFileReaderTests {
    let reader = LockFileReader()

    /// A lock file as ActiveMQ writes it: the acquisition time as a big-endian Int64.
    static func writeLockFile(_ path: String, millis: Int64, extra: Int = 0) throws {
        var bytes = withUnsafeBytes(of: millis.bigEndian) { Array($0) }
        bytes += [UInt8](repeating: 0, count: extra)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func okFileGivesTimestampStatAndFilesystem() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        let acquired: Int64 = 1_718_000_123_456
        try Self.writeLockFile(path, millis: acquired)
        let snapshot = reader.read(path: path)
        #expect(snapshot.state == .ok)
        #expect(snapshot.acquiredAtMillis == acquired)
        #expect(snapshot.size == 8)
        #expect(snapshot.holder == .free)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(snapshot.inode == UInt64(info.st_ino))
        #expect(snapshot.device == UInt64(info.st_dev))
        #expect(snapshot.mtimeNanos == Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        #expect(snapshot.mtimeMillis == snapshot.mtimeNanos.map { $0 / 1_000_000 })
        #expect(snapshot.filesystem?.type.isEmpty == false)
        #expect(snapshot.filesystem?.mountPoint != nil)
    }

    @Test func symlinkedLockFileIsFollowed() throws {
        let directory = try TemporaryDirectory()
        try Self.writeLockFile(directory.path + "/lock", millis: 1_764_000_000_042)
        #expect(symlink(directory.path + "/lock", directory.path + "/link") == 0)
        #expect(reader.read(path: directory.path + "/link").acquiredAtMillis == 1_764_000_000_042)
    }

    @Test func missingFile() throws {
        let directory = try TemporaryDirectory()
        let snapshot = reader.read(path: directory.path + "/lock")
        #expect(snapshot.state == .missing)
        #expect(snapshot.filesystem != nil, "the directory's filesystem is still reported")
        #expect(reader.read(path: directory.path + "/no/such/dir/lock").state == .missing)
    }

    @Test func emptyFile() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.path + "/lock", contents: Data()))
        let snapshot = reader.read(path: directory.path + "/lock")
        #expect(snapshot.state == .empty)
        #expect(snapshot.acquiredAtMillis == nil)
    }

    @Test func shortFile() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.path + "/lock", contents: Data([1, 2, 3])))
        #expect(reader.read(path: directory.path + "/lock").state == .short(size: 3))
    }

    @Test func directoryInsteadOfFile() throws {
        let directory = try TemporaryDirectory()
        #expect(mkdir(directory.path + "/lock", 0o755) == 0)
        #expect(reader.read(path: directory.path + "/lock").state == .isDirectory)
    }

    @Test func fifoDoesNotBlock() async throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.path + "/lock", 0o644) == 0)
        let probe = LockFileProbe(timeoutMillis: 1000)
        let snapshot = await probe.read(path: directory.path + "/lock")
        #expect(snapshot.state == .error("is a FIFO (named pipe), not a regular file"))
        #expect(snapshot.holder == .unknown("the lock path is a FIFO (named pipe)"))
    }

    /// A file the reader may not open is `permissionDenied`. Root bypasses file permissions
    /// (CAP_DAC_OVERRIDE), and CI runs as root, so there the read runs on a thread whose
    /// filesystem identity is user nobody; as another user a chmod 000 file is enough.
    @Test func unreadableFile() throws {
        #expect(LockFileReader.state(forErrno: EACCES) == .permissionDenied)
        #expect(LockFileReader.state(forErrno: EPERM) == .permissionDenied)
        #expect(LockFileReader.state(forErrno: ESTALE) == .staleHandle)
        #expect(LockFileReader.state(forErrno: ENOENT) == .missing)
        #expect(LockFileReader.state(forErrno: EIO).code == "error")
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try Self.writeLockFile(path, millis: 1)
        // nobody must reach the file (mkdtemp made the directory 0700) but not read it.
        #expect(chmod(directory.path, 0o755) == 0)
        #expect(chmod(path, 0) == 0)
        let reader = self.reader
        let state = getuid() == 0 ? try UnprivilegedThread.run { reader.read(path: path).state } : reader.read(path: path).state
        #expect(state == .permissionDenied)
        // The same file read with root's rights is fine: the denial above was the permission, not the file.
        if getuid() == 0 {
            #expect(reader.read(path: path).state == .ok)
        }
    }

    @Test(arguments: [0, 8])
    func lockHeldByAnotherProcessNamesItsPid(length: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try Self.writeLockFile(path, millis: 1_718_000_000_000)
        let holder = try LockHolderProcess(path: path, length: length)
        #expect(await holder.waitUntilLocked(millis: 5000))
        let snapshot = reader.read(path: path)
        #expect(snapshot.holder == .pid(holder.pid))
        // /proc/locks agrees on its own.
        let listed = ProcLock.parse(try #require(ProcFile.text("/proc/locks")))
        #expect(listed.contains { $0.pid == holder.pid && $0.inode == snapshot.inode && $0.access == "WRITE" })
        // Reading (and closing our descriptor) many times leaves the other process's lock in place.
        for _ in 0..<50 { _ = reader.read(path: path) }
        #expect(reader.read(path: path).holder == .pid(holder.pid))
        await holder.finish()
        #expect(reader.read(path: path).holder == .free)
    }

    /// A busy host lists more locks than fit in one 4 KiB page of /proc/locks, which is where
    /// Foundation's `String(contentsOfFile:)` stopped: holders listed further down were missed,
    /// and on NFS a master on this very host was reported as "held elsewhere".
    @Test func holdersListedPastTheFirstPageOfProcLocksAreFound() async throws {
        let directory = try TemporaryDirectory()
        let paths = (0..<150).map { directory.path + "/lock\($0)" }
        for path in paths { try Self.writeLockFile(path, millis: 1_718_000_000_000) }
        let holder = try LockHolderProcess(paths: paths, length: 0)
        #expect(await holder.waitUntilLocked(millis: 10_000))
        let table = try #require(ProcFile.text("/proc/locks"))
        #expect(table.utf8.count > 4096, "\(table.utf8.count) bytes of /proc/locks")

        // The directory as an NFS mount: there a holder missing from /proc/locks is taken to be
        // another client, so every one of the 150 must be found in the table.
        let resolved = try #require(realpath(directory.path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        })
        let mountInfo = directory.path + "/mountinfo"
        try "70 22 0:70 / \(resolved) rw,relatime - nfs4 server:/export rw,vers=4.2\n"
            .write(toFile: mountInfo, atomically: true, encoding: .utf8)
        let nfsReader = LockFileReader(mountInfoPath: mountInfo)
        let holders = paths.map { nfsReader.read(path: $0).holder }
        await holder.finish()
        #expect(nfsReader.read(path: paths[0]).filesystem?.type == "nfs4")
        let missed = holders.filter { $0 != .pid(holder.pid) }.count
        #expect(missed == 0, "\(missed) of 150 holders not found")
    }

    @Test func manyProbeRoundsNeverChangeTheFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        try Self.writeLockFile(path, millis: 1_718_000_000_000, extra: 100)
        // Back-date the mtime so a write during the test could not hide within the same tick.
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let holder = try LockHolderProcess(path: path, length: 0)
        #expect(await holder.waitUntilLocked(millis: 5000))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var statBefore = stat()
        stat(path, &statBefore)

        let config = AppConfig(timeoutMillis: 1000, groups: [GroupConfig(name: "g", lockFile: path, brokers: [])])
        let http = ProbeHTTPClient(connectTimeoutMillis: 1000)
        let prober = GroupProber(config: config, http: http)
        for _ in 0..<200 {
            let groups = await prober.probeAll(config)
            #expect(groups.first?.lock?.holder == .pid(holder.pid))
        }
        await http.shutdown()
        await holder.finish()

        var statAfter = stat()
        stat(path, &statAfter)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(statAfter.st_mtim.tv_sec == statBefore.st_mtim.tv_sec)
        #expect(statAfter.st_mtim.tv_nsec == statBefore.st_mtim.tv_nsec)
        #expect(statAfter.st_ctim.tv_sec == statBefore.st_ctim.tv_sec && statAfter.st_ctim.tv_nsec == statBefore.st_ctim.tv_nsec)
        #expect(statAfter.st_size == statBefore.st_size)
    }

    @Test func deviceSplitMatchesGlibc() {
        // makedev(8, 1) and makedev(259, 70000) as glibc encodes them.
        #expect(LockFileReader.split(device: 0x801) == (8, 1))
        let big: UInt64 = (UInt64(259 & 0xfff) << 8) | UInt64(70000 & 0xff) | (UInt64(70000 & ~0xff) << 12)
        #expect(LockFileReader.split(device: big) == (259, 70000))
    }
}
