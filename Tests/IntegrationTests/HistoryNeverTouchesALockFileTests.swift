import AMQTopTestSupport
import Foundation
import Testing

/// The dashboard's history open refuses a file that is no database while another process
/// locks it (a running master's lock file), names it on the status line, and leaves it exactly
/// as it was: no write, no SQLite lock, no rename aside. The store-level cases and the
/// `history` commands are in `HistoryFileGuardTests`.
@Suite struct HistoryNeverTouchesALockFileTests {
    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func theDashboardLeavesALockedFileNamedAsItsHistoryAsItIs() async throws {
        let scratch = try HostileInputTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let locked = "\(scratch)/other-lock"
        try HostileInputTests.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: locked))
        let config = "\(scratch)/amqtop.yaml"
        try ("history: \(locked)\n" + HostileInputTests.config(lockFile: "\(scratch)/lock")).write(toFile: config, atomically: true, encoding: .utf8)
        let holder = try FileLockHolder(path: locked)
        do {
            #expect(await holder.waitUntilLocked(), "python3 did not lock \(locked)")
            let before = try LockFileFingerprint.read(locked)
            let names = try FileManager.default.contentsOfDirectory(atPath: scratch).sorted()
            try await TmuxSession.withSession(try DashboardTmuxTests.amqtop(config), environment: DashboardTmuxTests.utf8Environment, width: 300) { tmux in
                try await tmux.waitForScreen(containing: "history file \(locked) refused, left as it is", deadline: .now + .seconds(30))
                try await tmux.waitForScreen(containing: "▶ g", deadline: .now + .seconds(30))
                try await DashboardTmuxTests.quitCleanly(tmux)
            }
            #expect(try LockFileFingerprint.read(locked) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() == names, "a file was added or renamed beside it")
        } catch {
            await holder.finish()
            throw error
        }
        await holder.finish()
    }
}
