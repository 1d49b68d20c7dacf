import AMQTopCore
import Foundation
import GRDB

/// The history file's tables, and the SQL that writes and reads them.
///
/// Upserts merge rather than overwrite, because two dashboards that share a file each see
/// the same takeover with their own poll timing: for every phase the better observation
/// wins (the earliest sighting of a change, the latest sighting of the old master serving),
/// and a phase one process missed is filled in by the other.
enum HistorySchema {
    /// The version-1 tables.
    static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS failover (
                id INTEGER PRIMARY KEY,
                group_name TEXT NOT NULL,
                -- lock:<acquired_at> when the lock file was visible: UNIQUE(group, acquisition).
                event_key TEXT NOT NULL,
                at_millis INTEGER NOT NULL,
                from_broker TEXT,
                to_broker TEXT,
                cause TEXT NOT NULL,
                stop_sent_at INTEGER,
                detected_at INTEGER NOT NULL,
                old_serving_at INTEGER, old_serving_signal TEXT,
                old_gone_at INTEGER, old_gone_signal TEXT,
                lock_free_at INTEGER, lock_free_signal TEXT,
                lock_acquired_at INTEGER, lock_acquired_signal TEXT,
                new_serving_at INTEGER, new_serving_signal TEXT,
                UNIQUE (group_name, event_key)
            );
            CREATE INDEX IF NOT EXISTS failover_at ON failover (at_millis);
            CREATE TABLE IF NOT EXISTS tenure (
                id INTEGER PRIMARY KEY,
                group_name TEXT NOT NULL,
                tenure_key TEXT NOT NULL,
                master TEXT,
                acquired_at INTEGER,
                first_seen_at INTEGER NOT NULL,
                ended_at INTEGER,
                started_before_observation INTEGER NOT NULL,
                UNIQUE (group_name, tenure_key)
            );
            CREATE TABLE IF NOT EXISTS split_brain (
                id INTEGER PRIMARY KEY,
                group_name TEXT NOT NULL,
                episode_key TEXT NOT NULL,
                brokers TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER,
                lock_acquired_at INTEGER,
                UNIQUE (group_name, episode_key)
            );
            """)
    }

    /// Version 2: where each record came from (`source`: live, log, live+log) and the
    /// cause in a sentence (`cause_detail`). Columns are added, never rebuilt: every row of a
    /// version-1 file stays, marked `live` (only a running amqtop wrote version 1).
    static func migrateToVersion2(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE failover ADD COLUMN source TEXT NOT NULL DEFAULT 'live';
            ALTER TABLE failover ADD COLUMN cause_detail TEXT;
            ALTER TABLE tenure ADD COLUMN source TEXT NOT NULL DEFAULT 'live';
            """)
    }

    /// SQL for "the two sources merged": one origin stays itself, two different ones are both.
    private static func sourceMerge(_ table: String) -> String {
        "source = CASE WHEN \(table).source = excluded.source THEN \(table).source ELSE '\(HistorySource.liveAndLog.rawValue)' END"
    }

    /// SQL for a cause's weight (`FailoverCause.weight`), so the better explanation wins a merge.
    private static func causeWeight(_ column: String) -> String {
        let cases = FailoverCause.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.weight)" }.joined(separator: " ")
        return "(CASE \(column) \(cases) ELSE 0 END)"
    }

    // MARK: - Failovers

    /// The phases as (column prefix, keep the later observation instead of the earlier).
    private static let phaseColumns: [(String, Bool)] = [
        ("old_serving", true), ("old_gone", false), ("lock_free", false), ("lock_acquired", false), ("new_serving", false),
    ]

    static func upsert(_ event: FailoverEvent, _ db: Database) throws {
        let phases = [event.oldMasterLastServing, event.oldMasterGone, event.lockFree, event.lockAcquired, event.newMasterServing]
        var columns = [
            "group_name", "event_key", "at_millis", "from_broker", "to_broker", "cause", "stop_sent_at", "detected_at",
            "cause_detail", "source",
        ]
        var values: [(any DatabaseValueConvertible)?] = [
            event.group, event.key, event.atMillis, event.fromBroker, event.toBroker, event.cause.rawValue,
            event.stopSentAtMillis, event.detectedAtMillis, event.causeDetail, event.source.rawValue,
        ]
        for ((prefix, _), phase) in zip(phaseColumns, phases) {
            columns += ["\(prefix)_at", "\(prefix)_signal"]
            values += [phase?.atMillis, phase?.signal.rawValue]
        }
        var merges = [
            "at_millis = MIN(failover.at_millis, excluded.at_millis)",
            "from_broker = COALESCE(failover.from_broker, excluded.from_broker)",
            // The broker seen serving is the new master; before that, the lock holder's name.
            """
            to_broker = CASE WHEN failover.new_serving_at IS NULL AND excluded.new_serving_at IS NOT NULL \
            THEN excluded.to_broker ELSE COALESCE(failover.to_broker, excluded.to_broker) END
            """,
            // The better explanation wins: a stop seen by either process, then what a broker's
            // log told (a lost lock, a clean shutdown), then the crash a poll inferred.
            "cause = CASE WHEN \(causeWeight("excluded.cause")) > \(causeWeight("failover.cause")) THEN excluded.cause ELSE failover.cause END",
            // (Evaluated against the row as it was, like every SET expression.)
            """
            cause_detail = CASE WHEN \(causeWeight("excluded.cause")) > \(causeWeight("failover.cause")) \
            THEN COALESCE(excluded.cause_detail, failover.cause_detail) ELSE COALESCE(failover.cause_detail, excluded.cause_detail) END
            """,
            sourceMerge("failover"),
            "stop_sent_at = COALESCE(failover.stop_sent_at, excluded.stop_sent_at)",
            "detected_at = MIN(failover.detected_at, excluded.detected_at)",
        ]
        for (prefix, keepLater) in phaseColumns {
            let better = keepLater ? ">" : "<"
            let takeNew = """
                (failover.\(prefix)_at IS NULL OR (excluded.\(prefix)_at IS NOT NULL \
                AND excluded.\(prefix)_at \(better) failover.\(prefix)_at))
                """
            merges.append("\(prefix)_at = CASE WHEN \(takeNew) THEN excluded.\(prefix)_at ELSE failover.\(prefix)_at END")
            merges.append("\(prefix)_signal = CASE WHEN \(takeNew) THEN excluded.\(prefix)_signal ELSE failover.\(prefix)_signal END")
        }
        // SQLite evaluates every SET expression against the row as it was, so the `_at`
        // column being updated first does not change what the `_signal` test sees.
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO failover (\(columns.joined(separator: ", "))) VALUES (\(placeholders))
                ON CONFLICT (group_name, event_key) DO UPDATE SET \(merges.joined(separator: ", "))
                """,
            arguments: StatementArguments(values))
    }

    static func failovers(_ db: Database, group: String?, sinceMillis: Int64?, newestFirstLimit: Int?) throws -> [FailoverEvent] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let group {
            conditions.append("group_name = ?")
            arguments.append(group)
        }
        if let sinceMillis {
            conditions.append("at_millis >= ?")
            arguments.append(sinceMillis)
        }
        var sql = "SELECT * FROM failover"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if let limit = newestFirstLimit {
            sql += " ORDER BY at_millis DESC, id DESC LIMIT ?"
            arguments.append(limit)
        } else {
            sql += " ORDER BY at_millis, id"
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(failover)
    }

    static func failover(_ db: Database, group: String, key: String) throws -> FailoverEvent? {
        try Row.fetchOne(db, sql: "SELECT * FROM failover WHERE group_name = ? AND event_key = ?", arguments: [group, key])
            .map(failover)
    }

    private static func failover(_ row: Row) -> FailoverEvent {
        func phase(_ prefix: String) -> PhaseStamp? {
            guard let at: Int64 = row["\(prefix)_at"] else { return nil }
            // A signal written by a newer amqtop that this one does not know still places the phase in time.
            let signal = (row["\(prefix)_signal"] as String?).flatMap(FailoverSignal.init(rawValue:)) ?? .lockFile
            return PhaseStamp(atMillis: at, signal: signal)
        }
        return FailoverEvent(
            group: row["group_name"], key: row["event_key"], fromBroker: row["from_broker"], toBroker: row["to_broker"],
            cause: (row["cause"] as String?).flatMap(FailoverCause.init(rawValue:)) ?? .unknown,
            stopSentAtMillis: row["stop_sent_at"], detectedAtMillis: row["detected_at"],
            oldMasterLastServing: phase("old_serving"), oldMasterGone: phase("old_gone"), lockFree: phase("lock_free"),
            lockAcquired: phase("lock_acquired"), newMasterServing: phase("new_serving"),
            causeDetail: row["cause_detail"],
            source: (row["source"] as String?).flatMap(HistorySource.init(rawValue:)) ?? .live)
    }

    /// Where a live record keeps its key, acquisition and broker: a failover's, or a tenure's.
    enum Acquisitions: String {
        case failover, tenure

        var columns: (key: String, acquired: String, broker: String) {
            switch self {
            case .failover: ("event_key", "lock_acquired_at", "to_broker")
            case .tenure: ("tenure_key", "acquired_at", "master")
            }
        }
    }

    /// The key of the record a dashboard wrote for an acquisition between `lower` and `upper`
    /// by `broker` (or by a broker it never named), the one nearest `near` first.
    static func key(
        _ db: Database, in table: Acquisitions, group: String, broker: String, acquiredBetween lower: Int64, and upper: Int64, near: Int64
    ) throws -> String? {
        let (key, acquired, brokerColumn) = table.columns
        return try String.fetchOne(
            db,
            sql: """
                SELECT \(key) FROM \(table.rawValue) WHERE group_name = ? AND \(acquired) BETWEEN ? AND ?
                AND (\(brokerColumn) = ? OR \(brokerColumn) IS NULL) ORDER BY abs(\(acquired) - ?), id LIMIT 1
                """,
            arguments: [group, lower, upper, broker, near])
    }

    // MARK: - Tenures

    static func upsert(_ tenure: Tenure, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO tenure (group_name, tenure_key, master, acquired_at, first_seen_at, ended_at, started_before_observation, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_name, tenure_key) DO UPDATE SET
                    master = COALESCE(excluded.master, tenure.master),
                    acquired_at = COALESCE(tenure.acquired_at, excluded.acquired_at),
                    first_seen_at = MIN(tenure.first_seen_at, excluded.first_seen_at),
                    ended_at = CASE WHEN tenure.ended_at IS NULL THEN excluded.ended_at
                        WHEN excluded.ended_at IS NULL THEN tenure.ended_at
                        ELSE MIN(tenure.ended_at, excluded.ended_at) END,
                    -- Whoever saw the tenure begin knows it did not start before observation.
                    started_before_observation = MIN(tenure.started_before_observation, excluded.started_before_observation),
                    \(sourceMerge("tenure"))
                """,
            arguments: [
                tenure.group, tenure.key, tenure.master, tenure.acquiredAtMillis, tenure.firstSeenAtMillis,
                tenure.endedAtMillis, tenure.startedBeforeObservation, tenure.source.rawValue,
            ])
    }

    static func tenures(_ db: Database, group: String?, sinceMillis: Int64?) throws -> [Tenure] {
        var (sql, arguments) = overlapping("tenure", group: group, sinceMillis: sinceMillis)
        sql += " ORDER BY COALESCE(acquired_at, first_seen_at), id"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            Tenure(
                group: row["group_name"], key: row["tenure_key"], master: row["master"], acquiredAtMillis: row["acquired_at"],
                firstSeenAtMillis: row["first_seen_at"], endedAtMillis: row["ended_at"],
                startedBeforeObservation: row["started_before_observation"],
                source: (row["source"] as String?).flatMap(HistorySource.init(rawValue:)) ?? .live)
        }
    }

    /// `SELECT * FROM table` narrowed to a group and to rows still open at, or ended after, `sinceMillis`.
    private static func overlapping(_ table: String, group: String?, sinceMillis: Int64?) -> (String, [(any DatabaseValueConvertible)?]) {
        var sql = "SELECT * FROM \(table) WHERE 1"
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let group {
            sql += " AND group_name = ?"
            arguments.append(group)
        }
        if let sinceMillis {
            sql += " AND (ended_at IS NULL OR ended_at >= ?)"
            arguments.append(sinceMillis)
        }
        return (sql, arguments)
    }

    // MARK: - Split brain

    static func upsert(_ episode: SplitBrainEpisode, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO split_brain (group_name, episode_key, brokers, started_at, ended_at, lock_acquired_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_name, episode_key) DO UPDATE SET
                    brokers = CASE WHEN length(excluded.brokers) > length(split_brain.brokers)
                        THEN excluded.brokers ELSE split_brain.brokers END,
                    started_at = MIN(split_brain.started_at, excluded.started_at),
                    ended_at = CASE WHEN split_brain.ended_at IS NULL THEN excluded.ended_at
                        WHEN excluded.ended_at IS NULL THEN split_brain.ended_at
                        ELSE MAX(split_brain.ended_at, excluded.ended_at) END,
                    lock_acquired_at = COALESCE(split_brain.lock_acquired_at, excluded.lock_acquired_at)
                """,
            arguments: [
                episode.group, episode.key, encodeNames(episode.brokers), episode.startedAtMillis, episode.endedAtMillis,
                episode.lockAcquiredAtMillis,
            ])
    }

    static func splitBrains(_ db: Database, group: String?, sinceMillis: Int64?) throws -> [SplitBrainEpisode] {
        var (sql, arguments) = overlapping("split_brain", group: group, sinceMillis: sinceMillis)
        sql += " ORDER BY started_at, id"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            SplitBrainEpisode(
                group: row["group_name"], key: row["episode_key"], brokers: decodeNames(row["brokers"]),
                startedAtMillis: row["started_at"], endedAtMillis: row["ended_at"], lockAcquiredAtMillis: row["lock_acquired_at"])
        }
    }

    /// Broker names as a JSON array: names are free text and may hold any separator.
    private static func encodeNames(_ names: [String]) -> String {
        guard let data = try? JSONEncoder().encode(names) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decodeNames(_ text: String?) -> [String] {
        guard let text, let names = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return names
    }
}
