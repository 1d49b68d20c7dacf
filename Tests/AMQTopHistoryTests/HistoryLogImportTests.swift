import AMQTopCore
import Foundation
import GRDB
import Testing
@testable import AMQTopHistory

/// `amqtop history import`: the schema's `source` migration, matching a dashboard's live
/// records, idempotence, and the command on plain and gzip logs.
@Suite(.serialized)
struct HistoryLogImportTests {
    typealias Support = HistoryTestSupport
    /// 2026-12-01 09:00:00 UTC.
    static let t: Int64 = 1_796_115_600_000

    static func line(_ offset: Int64, _ message: String, category: String = "org.apache.activemq.broker.BrokerService") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
        return "\(formatter.string(from: Date(timeIntervalSince1970: Double(t + offset) / 1000))) | INFO  | \(message) | \(category) | main"
    }

    static func started(_ offset: Int64, _ name: String) -> String {
        line(offset, "Apache ActiveMQ 5.17.2 (\(name), ID:host-1-1-0:1) started")
    }

    static let waits = "Database /srv/orders/lock is locked by another server. This broker is now in slave mode waiting a lock to be acquired"

    /// b1 serves from 1 s and shuts down cleanly at 20 s; b2, waiting since 0.5 s, serves at 22 s.
    static let b1Log = [
        started(1_000, "b1"),
        line(20_000, "Apache ActiveMQ 5.17.2 (b1, ID:host-1-1-0:1) is shutting down"),
        line(20_040, "Apache ActiveMQ 5.17.2 (b1, ID:host-1-1-0:1) is shutdown"),
    ].joined(separator: "\n") + "\n"
    static let b2Log = [
        line(500, waits, category: "org.apache.activemq.store.SharedFileLocker"),
        "java.lang.Exception: not in the pattern",
        started(22_000, "b2"),
    ].joined(separator: "\n") + "\n"

    static func tenures() -> [LogTenure] {
        let utc = TimeZone(identifier: "UTC") ?? .current
        return LogHistoryReconstructor.tenures([
            .init(broker: "b1", entries: BrokerLogScan.scan(path: "b1.log", text: b1Log, timeZone: utc).entries),
            .init(broker: "b2", entries: BrokerLogScan.scan(path: "b2.log", text: b2Log, timeZone: utc).entries),
        ])
    }

    /// What a dashboard recorded: the same takeover, lock taken at 20.5 s, seen as a crash.
    static func live() -> FailoverEvent {
        Support.takeover(group: "orders", from: "b1", to: "b2", acquiredAt: t + 20_500, goneAfter: -300, servingAfter: 1_600)
    }

    @Test func anImportTellsTheLiveRecordItsCauseAndAddsNothingTheSecondTime() throws {
        let store = try HistoryStore(path: try Support.temporaryDirectory() + "/history.sqlite")
        try store.record([
            .failover(Self.live()),
            .tenure(Tenure(group: "orders", key: FailoverEvent.lockKey(Self.t + 20_500), master: "b2", acquiredAtMillis: Self.t + 20_500,
                           firstSeenAtMillis: Self.t + 20_600, startedBeforeObservation: false)),
        ])
        let importer = HistoryLogImporter()
        let first = try importer.importTenures(Self.tenures(), group: "orders", into: store, nowMillis: Self.t + 100_000)
        #expect(first.takeovers == 1 && first.matchedLive == 1 && first.added == 0, "\(first)")
        let failovers = try store.failovers(group: "orders")
        #expect(failovers.count == 1, "\(failovers)")
        let event = try #require(failovers.first)
        #expect(event.key == FailoverEvent.lockKey(Self.t + 20_500))
        #expect(event.cause == .shutdown)
        #expect(event.causeDetail == "b1 shut down cleanly")
        #expect(event.source == .liveAndLog)
        // What the dashboard measured stays as measured.
        #expect(event.oldMasterGone == Self.live().oldMasterGone)
        #expect(event.newMasterServing == Self.live().newMasterServing)
        #expect(event.timeWithoutMasterMillis == Self.live().timeWithoutMasterMillis)

        let second = try importer.importTenures(Self.tenures(), group: "orders", into: store, nowMillis: Self.t + 200_000)
        #expect(second.alreadyImported == 1 && second.added == 0 && second.matchedLive == 0, "\(second)")
        #expect(try store.failovers(group: "orders") == failovers)
        // b1's first tenure (log only) and b2's (live, confirmed): two rows, whatever the number of imports.
        let tenures = try store.tenures(group: "orders")
        #expect(tenures.map(\.master) == ["b1", "b2"], "\(tenures)")
        #expect(tenures.map(\.source) == [.log, .liveAndLog])
    }

    @Test func aStopADashboardSawStaysAStop() throws {
        let store = try HistoryStore(path: try Support.temporaryDirectory() + "/history.sqlite")
        var stopped = Self.live()
        stopped.cause = .stop
        stopped.stopSentAtMillis = Self.t + 19_900
        try store.record(.failover(stopped))
        _ = try HistoryLogImporter().importTenures(Self.tenures(), group: "orders", into: store, nowMillis: Self.t + 100_000)
        let event = try #require(try store.failovers(group: "orders").first)
        #expect(event.cause == .stop)
        #expect(event.causeDetail == "b1 shut down cleanly")
    }

    @Test func withoutALiveRecordTheImportKeysItsOwnRowsAndStaysIdempotent() throws {
        let store = try HistoryStore(path: try Support.temporaryDirectory() + "/history.sqlite")
        let importer = HistoryLogImporter()
        let first = try importer.importTenures(Self.tenures(), group: "orders", into: store, nowMillis: Self.t + 100_000)
        #expect(first.added == 1)
        _ = try importer.importTenures(Self.tenures(), group: "orders", into: store, nowMillis: Self.t + 200_000)
        let failovers = try store.failovers(group: "orders")
        #expect(failovers.count == 1)
        let event = try #require(failovers.first)
        #expect(event.key == "log:b2:\(Self.t + 22_000)")
        #expect(event.source == .log)
        #expect(event.oldMasterGone == PhaseStamp(atMillis: Self.t + 20_000, signal: .log))
        #expect(event.timeWithoutMasterMillis == 2_000)
        #expect(try store.tenures(group: "orders").count == 2)
    }

    @Test func aVersionOneFileKeepsItsRowsAsLive() throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(HistoryStore.applicationID)")
            try HistorySchema.createVersion1(db)
            try db.execute(sql: "PRAGMA user_version = 1")
            try db.execute(sql: """
                INSERT INTO failover (group_name, event_key, at_millis, from_broker, to_broker, cause, detected_at, lock_acquired_at, lock_acquired_signal)
                VALUES ('orders', 'lock:5', 5, 'b1', 'b2', 'crash', 6, 5, 'lock')
                """)
        }
        try queue.close()
        let store = try HistoryStore(path: path)
        let event = try #require(try store.failovers().first)
        #expect(event.key == "lock:5" && event.cause == .crash && event.source == .live && event.causeDetail == nil)
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == HistoryStore.schemaVersion)
    }

    @Test func theCommandImportsPlainAndGzipLogsByTheConfigsBrokers() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.b1Log.write(toFile: "\(directory)/b1.log", atomically: true, encoding: .utf8)
        // b2's log rotated and gzipped, its live file empty since.
        try Self.b2Log.write(toFile: "\(directory)/b2.log.1", atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["\(directory)/b2.log.1"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        try "".write(toFile: "\(directory)/b2.log", atomically: true, encoding: .utf8)
        let config = """
            history: \(directory)/history.sqlite
            groups:
              - name: orders
                lockFile: /srv/orders/lock
                brokers:
                  - name: b1
                    jolokia: http://127.0.0.1:1/api/jolokia
                  - name: b2
                    jolokia: http://127.0.0.1:2/api/jolokia
            """
        try config.write(toFile: "\(directory)/amqtop.yaml", atomically: true, encoding: .utf8)
        let arguments = ["history", "import", "--config", "\(directory)/amqtop.yaml", "--timezone", "UTC",
                         "\(directory)/b1.log", "\(directory)/b2.log.1.gz", "\(directory)/b2.log"]
        let result = try await Support.runAMQTop(arguments)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("orders: 1 takeovers in 2 tenures (shutdown 1): 0 matched live records, 0 already imported, 1 added"), "\(result.stdout)")
        #expect(result.stdout.contains("read 3 of 3 files, 6 lines, 1 not in the log pattern"), "\(result.stdout)")
        let again = try await Support.runAMQTop(arguments)
        #expect(again.stdout.contains("0 matched live records, 1 already imported, 0 added"), "\(again.stdout)")

        let listed = try await Support.runAMQTop(["history", "--history", "\(directory)/history.sqlite", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let failovers = try #require(document["failovers"] as? [[String: Any]])
        #expect(failovers.count == 1)
        #expect(failovers.first?["cause"] as? String == "shutdown")
        #expect(failovers.first?["source"] as? String == "log")
        #expect(failovers.first?["causeDetail"] as? String == "b1 shut down cleanly")

        // A log naming a broker no group has is reported, with the file, and the exit says so.
        try Self.started(1_000, "stranger").write(toFile: "\(directory)/x.log", atomically: true, encoding: .utf8)
        let stranger = try await Support.runAMQTop(["history", "import", "--config", "\(directory)/amqtop.yaml", "\(directory)/x.log", "\(directory)/missing.log"])
        #expect(stranger.status == 1)
        #expect(stranger.stderr.contains("\(directory)/x.log: names broker stranger, which is in no configured group"), "\(stranger.stderr)")
        #expect(stranger.stderr.contains("\(directory)/missing.log: No such file"), "\(stranger.stderr)")
        let unknownHost = try await Support.runAMQTop(["history", "import", "--config", "\(directory)/amqtop.yaml", "nowhere:/var/log/activemq.log"])
        #expect(unknownHost.status == 1)
        #expect(unknownHost.stderr.contains("nowhere:/var/log/activemq.log: no such file here, and nowhere is in no hosts: list"), "\(unknownHost.stderr)")
    }
}
