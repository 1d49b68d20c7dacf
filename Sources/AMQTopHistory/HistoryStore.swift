import AMQTopCore
import Foundation
import GRDB

/// The failover history in an SQLite file: failovers, tenures and split-brain episodes.
///
/// Every `record` call is its own committed transaction, so an event is on disk before the
/// dashboard shows it and a `kill -9` loses nothing shown (WAL mode: a committed transaction
/// survives the death of the process; only a power loss can cost the last few). Several
/// dashboards can share one file: writers wait for each other (busy timeout), and a record's
/// key, `lock:<acquisition ms>` for a takeover, makes the second writer merge its phases
/// into the first one's row instead of adding a row.
public final class HistoryStore: Sendable {
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Marks the file as amqtop's (`PRAGMA application_id`, "amqh"), so a foreign database
    /// named by mistake is refused instead of being filled with our tables.
    static let applicationID: Int32 = 0x616D_7168
    /// The schema this code writes (`PRAGMA user_version`).
    static let schemaVersion = 2
    /// How long a writer waits for another process holding the write lock.
    public static let busyTimeoutSeconds: TimeInterval = 5

    /// Opens (creating when missing) the history at `path`, creating its directory too.
    ///
    /// Throws `HistoryStoreError`; `.corrupt` and `.unreadable` are remedied by
    /// `openRecovering(path:guarding:nowMillis:)`, which sets the file aside. First of all,
    /// `guarding` refuses (`.refused`) a lock file before SQLite ever opens it.
    public init(path: String, guarding: HistoryFileGuard = HistoryFileGuard()) throws {
        self.path = path
        if let reason = guarding.problem(path: path) {
            throw HistoryStoreError.refused(path: path, reason: reason)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if let problem = Self.placeProblem(path: path, directory: directory) {
            // Plain words naming the directory or file: Foundation's and SQLite's errors said
            // neither ("The operation could not be completed", "unable to open database file").
            throw HistoryStoreError.cannotCreate(path: path, detail: problem)
        }
        var configuration = Configuration()
        // WAL is switched on below, after the checks: GRDB's own WAL set-up writes to the
        // file, and a foreign database named by mistake must be left exactly as it was.
        configuration.busyMode = .timeout(Self.busyTimeoutSeconds)
        configuration.label = "amqtop.history"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw HistoryStoreError.corrupt(path: path, detail: check.prefix(3).joined(separator: "; "))
                }
            }
            // Read first: a history that is already set up needs no write lock, so a reader
            // is not held up by dashboards writing, nor refused on a read-only file.
            let ready = try queue.read { db in try Self.isReady(db, path: path) }
            try queue.writeWithoutTransaction { db in
                // WAL: readers never block the writer, and a committed transaction survives a
                // killed process. NORMAL sync is what SQLite recommends with WAL.
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw HistoryStoreError.database(path: path, detail: "cannot switch to WAL mode (journal mode \(mode ?? "unknown"))")
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            if !ready { try queue.write { db in try Self.prepareSchema(db, path: path) } }
        } catch let error as HistoryStoreError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// Opens the history for a dashboard: a corrupt or unreadable file is set aside
    /// (renamed `NAME.corrupt-<UTC time>`) and a new one started; any other failure turns
    /// history off for this run, and a file `guarding` refuses is never set aside. Never
    /// throws: monitoring goes on either way.
    public static func openRecovering(
        path: String, guarding: HistoryFileGuard = HistoryFileGuard(), nowMillis: Int64 = TimeFormat.nowMillis()
    ) -> HistoryOpening {
        do {
            return HistoryOpening(store: try HistoryStore(path: path, guarding: guarding), notices: [])
        } catch let error as HistoryStoreError where error.isSetAsideRemedy {
            let aside: String
            do {
                aside = try setAside(path: path, guarding: guarding, nowMillis: nowMillis)
            } catch let setAsideError {
                return HistoryOpening(store: nil, notices: [
                    "\(error); could not set it aside (\(setAsideError)); history is off for this run",
                ])
            }
            let movedNotice = "\(error); moved it to \(aside) and started a new history file"
            do {
                return HistoryOpening(store: try HistoryStore(path: path, guarding: guarding), notices: [movedNotice], setAsidePath: aside)
            } catch {
                return HistoryOpening(
                    store: nil, notices: [movedNotice, "\(error); history is off for this run"], setAsidePath: aside)
            }
        } catch {
            return HistoryOpening(store: nil, notices: ["\(error); history is off for this run"])
        }
    }

    /// Why a history cannot live at `path`, or nil; creates its directory (0700, as the XDG
    /// spec asks of a state directory) when missing.
    static func placeProblem(path: String, directory: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            if let kind = SafeFile.kind(mode: info.st_mode) { return "it is \(kind), not a regular file" }
            return nil
        }
        guard !directory.isEmpty else { return nil }
        var missing: [String] = []
        var existing = directory
        while stat(existing, &info) != 0 {
            guard errno == ENOENT else { return "cannot reach directory \(existing): \(String(cString: strerror(errno)))" }
            missing.append(existing)
            let parent = (existing as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != existing else { break }
            existing = parent
        }
        for created in missing.reversed() where mkdir(created, 0o700) != 0 && errno != EEXIST {
            return "cannot create directory \(created): \(String(cString: strerror(errno)))"
        }
        if stat(directory, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR { return "\(directory) is not a directory" }
        if access(directory, W_OK | X_OK) != 0 { return "directory \(directory) is not writable by this user" }
        return nil
    }

    /// Renames the file (and its WAL and shared-memory files) out of the way; returns the new path.
    ///
    /// The WAL files go too: a stale WAL next to a fresh database would be replayed into it.
    /// The guard is asked again just before: a broker may have locked the file since it was opened.
    static func setAside(path: String, guarding: HistoryFileGuard, nowMillis: Int64) throws -> String {
        if let reason = guarding.problem(path: path) { throw HistoryStoreError.refused(path: path, reason: reason) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        let stamp = formatter.string(from: Date(timeIntervalSince1970: Double(nowMillis) / 1000))
        var aside = "\(path).corrupt-\(stamp)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside) {
            attempt += 1
            aside = "\(path).corrupt-\(stamp)-\(attempt)"
        }
        guard rename(path, aside) == 0 else {
            throw HistoryStoreError.database(path: path, detail: "cannot rename it to \(aside): \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
        }
        return aside
    }

    // MARK: - Writing

    /// Commits one record at once (insert, or merge into the row another process wrote).
    public func record(_ update: HistoryUpdate) throws {
        try record([update])
    }

    /// Commits the records of one observation together, in one transaction.
    public func record(_ updates: [HistoryUpdate]) throws {
        guard !updates.isEmpty else { return }
        do {
            try queue.write { db in
                for update in updates {
                    switch update {
                    case .failover(let event): try HistorySchema.upsert(event, db)
                    case .tenure(let tenure): try HistorySchema.upsert(tenure, db)
                    case .splitBrain(let episode): try HistorySchema.upsert(episode, db)
                    }
                }
            }
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    // MARK: - Reading

    /// Failovers, oldest first, optionally of one group and from an instant on.
    public func failovers(group: String? = nil, sinceMillis: Int64? = nil) throws -> [FailoverEvent] {
        try read { db in try HistorySchema.failovers(db, group: group, sinceMillis: sinceMillis, newestFirstLimit: nil) }
    }

    /// The last `limit` failovers, newest first: what the dashboard's group view shows.
    public func recentFailovers(group: String? = nil, limit: Int) throws -> [FailoverEvent] {
        try read { db in try HistorySchema.failovers(db, group: group, sinceMillis: nil, newestFirstLimit: limit) }
    }

    /// The failover with this key, if recorded.
    public func failover(group: String, key: String) throws -> FailoverEvent? {
        try read { db in try HistorySchema.failover(db, group: group, key: key) }
    }

    /// Tenures, oldest first, optionally of one group and started or still running from an instant on.
    public func tenures(group: String? = nil, sinceMillis: Int64? = nil) throws -> [Tenure] {
        try read { db in try HistorySchema.tenures(db, group: group, sinceMillis: sinceMillis) }
    }

    /// Split-brain episodes, oldest first.
    public func splitBrains(group: String? = nil, sinceMillis: Int64? = nil) throws -> [SplitBrainEpisode] {
        try read { db in try HistorySchema.splitBrains(db, group: group, sinceMillis: sinceMillis) }
    }

    /// The key of the failover recorded live for an acquisition by `toBroker` between `lower`
    /// and `upper` (nearest `near`), if any: how an imported log finds a dashboard's record.
    public func failoverKey(group: String, toBroker: String, acquiredBetween lower: Int64, and upper: Int64, near: Int64) throws -> String? {
        try read { db in try HistorySchema.key(db, in: .failover, group: group, broker: toBroker, acquiredBetween: lower, and: upper, near: near) }
    }

    /// The key of the tenure recorded live for an acquisition by `master` between `lower` and `upper`, if any.
    public func tenureKey(group: String, master: String, acquiredBetween lower: Int64, and upper: Int64, near: Int64) throws -> String? {
        try read { db in try HistorySchema.key(db, in: .tenure, group: group, broker: master, acquiredBetween: lower, and: upper, near: near) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    // MARK: - Schema and errors

    /// True when the file already holds this version's schema; throws for a foreign or newer file.
    private static func isReady(_ db: Database, path: String) throws -> Bool {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard applicationID == Self.applicationID else {
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            guard tables == 0 else { throw HistoryStoreError.foreign(path: path) }
            return false
        }
        guard version <= Self.schemaVersion else { throw HistoryStoreError.newerSchema(path: path, version: version) }
        return version == Self.schemaVersion
    }

    /// Creates the tables of a new file, inside the caller's IMMEDIATE transaction so two
    /// processes starting on one new file do not both create them.
    private static func prepareSchema(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if applicationID != Self.applicationID {
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            guard tables == 0 else { throw HistoryStoreError.foreign(path: path) }
            try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
        }
        guard version <= Self.schemaVersion else { throw HistoryStoreError.newerSchema(path: path, version: version) }
        if version < 1 { try HistorySchema.createVersion1(db) }
        if version < 2 { try HistorySchema.migrateToVersion2(db) }
        if version < Self.schemaVersion { try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)") }
    }

    /// Maps SQLite's result codes to what an operator can act on.
    static func classify(_ error: any Error, path: String) -> HistoryStoreError {
        if let known = error as? HistoryStoreError { return known }
        guard let databaseError = error as? DatabaseError else {
            return .database(path: path, detail: "\(error)")
        }
        let detail = databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        switch databaseError.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corrupt(path: path, detail: detail)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_AUTH:
            return .unreadable(path: path, detail: detail)
        default:
            return .database(path: path, detail: detail)
        }
    }
}
