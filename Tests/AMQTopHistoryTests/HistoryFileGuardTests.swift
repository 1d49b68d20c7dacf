import AMQTopCore
import AMQTopTestSupport
import Foundation
import Testing
@testable import AMQTopHistory

/// The history never opens, writes, locks or renames a lock file: a file that is no SQLite
/// database while another process locks it (a running master's lock file), or a configured
/// group's lock file, is refused at every open, by the store and through the binary.
@Suite(.serialized)
struct HistoryFileGuardTests {
    typealias Support = HistoryTestSupport
    static let t: Int64 = 1_800_000_000_000

    /// A KahaDB-like lock file (8 bytes of keep-alive timestamp, or empty) locked by a child process.
    static func withLockedFile(content: Data, _ body: (String, FileLockHolder) async throws -> Void) async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        #expect(FileManager.default.createFile(atPath: path, contents: content))
        let holder = try FileLockHolder(path: path)
        do {
            #expect(await holder.waitUntilLocked(), "python3 did not lock \(path)")
            try await body(path, holder)
        } catch {
            await holder.finish()
            throw error
        }
        await holder.finish()
    }

    static let timestamp = withUnsafeBytes(of: UInt64(t).bigEndian) { Data($0) }

    @Test(arguments: [timestamp, Data()])
    func aLockedFileThatIsNoDatabaseIsRefusedAndLeftAsItIs(content: Data) async throws {
        try await Self.withLockedFile(content: content) { path, holder in
            let before = try FileFingerprint(path)
            #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
            // The dashboard's open: set aside was the remedy for "not a database"; here it must not be.
            let opening = HistoryStore.openRecovering(path: path, nowMillis: Self.t)
            #expect(opening.store == nil)
            #expect(opening.setAsidePath == nil)
            let notice = try #require(opening.notices.first)
            #expect(notice.hasPrefix("history file \(path) refused, left as it is: it is "), "\(notice)")
            #expect(notice.contains("process \(holder.pid) holds a lock on it"), "\(notice)")
            #expect(notice.hasSuffix("; history is off for this run"), "\(notice)")
            // The recorder (dashboard, serve, drill) the same, and a record does not reopen it.
            let recorder = HistoryRecorder(path: path, nowMillis: Self.t)
            #expect(await recorder.isRecording == false)
            #expect(try FileFingerprint(path) == before)
        }
    }

    @Test func aConfiguredLockFileIsRefusedByPathAndByAnyOtherName() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lock = directory + "/kahadb/lock"
        let guarding = HistoryFileGuard(lockFiles: [.init(group: "orders", path: lock)])
        // Not there yet (the brokers have not started): refused by its path, and not created.
        #expect(throws: HistoryStoreError.refused(path: lock, reason: guarding.problem(path: lock) ?? "")) {
            try HistoryStore(path: lock, guarding: guarding)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/kahadb"))
        try FileManager.default.createDirectory(atPath: directory + "/kahadb", withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: lock, contents: Self.timestamp))
        #expect(symlink(lock, directory + "/history.sqlite") == 0)
        let before = try FileFingerprint(lock)
        for path in [lock, directory + "/kahadb/../kahadb/lock", directory + "/history.sqlite"] {
            let opening = HistoryStore.openRecovering(path: path, guarding: guarding, nowMillis: Self.t)
            #expect(opening.store == nil && opening.setAsidePath == nil, "\(path)")
            #expect(opening.notices.first?.contains("refused, left as it is: it is group orders's lock file \(lock)") == true, "\(opening.notices)")
        }
        #expect(try FileFingerprint(lock) == before)
        // The guard made from a configuration names its local groups' lock files only.
        let config = AppConfig(groups: [GroupConfig(name: "orders", lockFile: lock)])
        #expect(HistoryFileGuard(config: config).lockFiles == [.init(group: "orders", path: lock)])
    }

    /// An SQLite history another dashboard has open (SQLite's own locks, from 1 GiB on) and an
    /// unlocked damaged file are not lock files: opened, and set aside, as before.
    @Test func historiesInUseAndUnlockedDamagedFilesAreNotRefused() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history.sqlite"
        let first = try HistoryStore(path: path)
        try first.record(.failover(Support.takeover(acquiredAt: Self.t)))
        #expect(HistoryFileGuard().problem(path: path) == nil)
        #expect(try HistoryStore(path: path).failovers().count == 1)
        let damaged = directory + "/damaged.sqlite"
        #expect(FileManager.default.createFile(atPath: damaged, contents: Self.timestamp))
        #expect(HistoryStore.openRecovering(path: damaged, nowMillis: Self.t).setAsidePath != nil)
    }

    /// Through the binary: `history`, `history --timeline` and `history import` refuse the
    /// locked file (exit 3, the reason on stderr) and leave it as it was.
    @Test func theHistoryCommandsRefuseALockedLockFile() async throws {
        try await Self.withLockedFile(content: Self.timestamp) { path, holder in
            let directory = (path as NSString).deletingLastPathComponent
            let log = directory + "/activemq.log"
            try "2026-11-20 10:00:00,000 | INFO  | Apache ActiveMQ 5.18.3 (b1, ID:x) started | org.apache.activemq.broker.BrokerService | main\n"
                .write(toFile: log, atomically: true, encoding: .utf8)
            let before = try FileFingerprint(path)
            let runs: [[String]] = [
                ["history", "--history", path],
                ["history", "list", "--history", path, "--json"],
                ["history", "--timeline", "--history", path],
                ["history", "import", "--history", path, "--group", "orders", log],
            ]
            for arguments in runs {
                let result = try await Support.runAMQTop(arguments)
                #expect(result.status == 3, "\(arguments): exit \(result.status), \(result.stderr)")
                #expect(result.stderr.contains("history file \(path) refused, left as it is"), "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains("process \(holder.pid) holds a lock on it"), "\(arguments): \(result.stderr)")
                #expect(try FileFingerprint(path).size == before.size)
            }
            // Listed again after the runs: the log file is the only other name beside it.
            #expect(try FileFingerprint(path) == before)
        }
    }

    /// `--history` naming the configuration's lock file is refused even when nobody holds it.
    @Test func historyOnTheCommandLineMayNotBeTheConfiguredLockFile() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lock = directory + "/lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: Self.timestamp))
        let config = directory + "/amqtop.yaml"
        try "groups:\n  - name: orders\n    lockFile: \(lock)\n    brokers:\n      - name: b1\n        jolokia: http://127.0.0.1:9/api/jolokia\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let before = try FileFingerprint(lock)
        let result = try await Support.runAMQTop(["history", "--history", lock, "--config", config])
        #expect(result.status == 3, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("refused, left as it is: it is group orders's lock file \(lock)"), "\(result.stderr)")
        #expect(try FileFingerprint(lock) == before)
    }
}
