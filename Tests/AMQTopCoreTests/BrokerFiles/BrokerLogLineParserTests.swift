import Testing
@testable import AMQTopCore

/// The upstream log pattern `%d | %-5p | %m | %c | %t%n`, line by line, as the brokers write it.
struct BrokerLogLineParserTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var line: String
        var level: String
        var category: String
        var thread: String
        var event: BrokerLogEvent
        var testDescription: String { "\(event)" }
    }

    static let id = BrokerLogEvent.BrokerIdentity(version: "5.17.2", brokerName: "broker2", brokerId: "ID:host-40321-1764580000000-0:1")

    static let rows: [Row] = [
        Row(line: "2026-12-01 09:12:55,123 | INFO  | Database /srv/san/orders/lock is locked by another server. This broker is now in slave mode waiting a lock to be acquired | org.apache.activemq.store.SharedFileLocker | main",
            level: "INFO", category: "org.apache.activemq.store.SharedFileLocker", thread: "main",
            event: .waitingForLock(lockFile: "/srv/san/orders/lock")),
        Row(line: "2026-12-01 09:12:56,001 | INFO  | Apache ActiveMQ 5.17.2 (broker2, ID:host-40321-1764580000000-0:1) is starting | org.apache.activemq.broker.BrokerService | main",
            level: "INFO", category: "org.apache.activemq.broker.BrokerService", thread: "main", event: .starting(id)),
        Row(line: "2026-12-01 09:12:57,450 | INFO  | Apache ActiveMQ 5.17.2 (broker2, ID:host-40321-1764580000000-0:1) started | org.apache.activemq.broker.BrokerService | main",
            level: "INFO", category: "org.apache.activemq.broker.BrokerService", thread: "main", event: .started(id)),
        Row(line: "2026-12-01 09:13:00,000 | INFO  | Apache ActiveMQ 5.17.2 (broker2, ID:host-40321-1764580000000-0:1) is shutting down | org.apache.activemq.broker.BrokerService | ActiveMQ ShutdownHook",
            level: "INFO", category: "org.apache.activemq.broker.BrokerService", thread: "ActiveMQ ShutdownHook", event: .shuttingDown(id)),
        Row(line: "2026-12-01 09:13:00,310 | INFO  | Apache ActiveMQ 5.17.2 (broker2, ID:host-40321-1764580000000-0:1) is shutdown | org.apache.activemq.broker.BrokerService | ActiveMQ ShutdownHook",
            level: "INFO", category: "org.apache.activemq.broker.BrokerService", thread: "ActiveMQ ShutdownHook", event: .shutdown(id)),
        Row(line: "2026-12-01 09:13:00,200 | INFO  | Apache ActiveMQ 5.17.2 (broker2, ID:host-40321-1764580000000-0:1) uptime 3.5 minutes | org.apache.activemq.broker.BrokerService | ActiveMQ ShutdownHook",
            level: "INFO", category: "org.apache.activemq.broker.BrokerService", thread: "ActiveMQ ShutdownHook", event: .other),
        Row(line: "2026-12-01 09:14:02,017 | ERROR | broker1, no longer able to keep the exclusive lock so giving up being a master | org.apache.activemq.broker.LockableServiceSupport | ActiveMQ Lock KeepAlive Timer",
            level: "ERROR", category: "org.apache.activemq.broker.LockableServiceSupport", thread: "ActiveMQ Lock KeepAlive Timer", event: .gaveUpLock(brokerName: "broker1")),
        Row(line: "2026-12-01 09:14:02,010 | INFO  | Lock file /srv/san/orders/lock, locked at Tue Dec 01 09:10:00 UTC 2026, has been modified at Tue Dec 01 09:14:01 UTC 2026 | org.apache.activemq.util.LockFile | ActiveMQ Lock KeepAlive Timer",
            level: "INFO", category: "org.apache.activemq.util.LockFile", thread: "ActiveMQ Lock KeepAlive Timer", event: .lockFileModified(lockFile: "/srv/san/orders/lock")),
        // As a real 5.17.2 broker writes it after a kill -9 of the master (seen in the harness's logs).
        Row(line: "2026-12-01 09:36:36,134 | INFO  | Page File: /tmp/amqtop-itest-cQgdGk/shared/db.data. Recovering pageFile free list due to prior unclean shutdown.. | org.apache.activemq.store.kahadb.disk.page.PageFile | KahaDB Index Free Page Recovery",
            level: "INFO", category: "org.apache.activemq.store.kahadb.disk.page.PageFile", thread: "KahaDB Index Free Page Recovery", event: .recoveringAfterUncleanShutdown),
        Row(line: "2026-12-01 09:15:10,100 | INFO  | KahaDB is version 7 | org.apache.activemq.store.kahadb.MessageDatabase | main",
            level: "INFO", category: "org.apache.activemq.store.kahadb.MessageDatabase", thread: "main", event: .other),
        // A message holding the separator itself: the fields are counted from both ends.
        Row(line: "2026-12-01T09:15:11.000 | WARN  | a | b | c | org.example.Thing | pool-1-thread-1\r\n",
            level: "WARN", category: "org.example.Thing", thread: "pool-1-thread-1", event: .other),
    ]

    @Test(arguments: rows)
    func recognisesTheLine(_ row: Row) throws {
        let line = try #require(BrokerLogLineParser.parse(row.line))
        #expect(line.level == row.level)
        #expect(line.category == row.category)
        #expect(line.thread == row.thread)
        #expect(line.event == row.event)
    }

    @Test func fieldsAndTime() throws {
        let line = try #require(BrokerLogLineParser.parse(Self.rows[0].line))
        #expect(line.timestamp == .init(year: 2026, month: 12, day: 1, hour: 9, minute: 12, second: 55, millisecond: 123))
        #expect(line.message.hasPrefix("Database /srv/san/orders/lock is locked"))
        #expect(line.timestamp.epochMillis(offsetSeconds: 0) == 1_796_116_375_123)
        #expect(line.timestamp.epochMillis(offsetSeconds: 3600) == 1_796_116_375_123 - 3_600_000)
        #expect(BrokerLogLine.LocalTimestamp(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0).epochMillis(offsetSeconds: 0) == 0)
        #expect(BrokerLogLine.LocalTimestamp(year: 2024, month: 2, day: 29, hour: 12, minute: 0, second: 0, millisecond: 0).epochMillis(offsetSeconds: 0) == 1_709_208_000_000)
        #expect(Self.rows[1].line < Self.rows[2].line)
    }

    @Test(arguments: [
        "",
        "\tat org.apache.activemq.broker.BrokerService.start(BrokerService.java:636)",
        "java.io.IOException: Stale file handle",
        "2026-12-01 09:12:55,123 | INFO  | only | three",
        "2026-13-01 09:12:55,123 | INFO  | m | org.x.Y | main",
        "2026-12-01 09:12:55 | INFO  | m | org.x.Y | main",
        "2026-12-01 09:12:55,123 | NOTICE | m | org.x.Y | main",
        "2026-12-01 09:12:55,123 | INFO  | m | not a category | main",
        "INFO  | 2026-12-01 09:12:55,123 | m | org.x.Y | main",
    ])
    func otherTextIsNotALine(_ text: String) {
        #expect(BrokerLogLineParser.parse(text) == nil)
    }

    /// Near misses of the recognised messages stay `.other`, never a half-parsed event.
    @Test(arguments: [
        "Apache ActiveMQ 5.17.2 (broker2) is starting",
        "Apache ActiveMQ 5.17.2 (broker2, ID:x) is restarting",
        "Database /x/lock is locked by another server.",
        ", no longer able to keep the exclusive lock so giving up being a master",
        "Lock file /x/lock, locked at yesterday",
    ])
    func nearMissesAreOther(_ message: String) {
        #expect(BrokerLogLineParser.event(message: message) == .other)
    }
}
