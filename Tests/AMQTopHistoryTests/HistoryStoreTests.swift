import AMQTopCore
import Foundation
import GRDB
import Testing
@testable import AMQTopHistory

/// The SQLite store: shared files, merging, tenures, split brain, corrupt and foreign files.
struct HistoryStoreTests {
    typealias Support = HistoryTestSupport
    static let t: Int64 = 1_800_000_000_000

    @Test func recordsAndReadsBackAFailover() throws {
        let path = try Support.temporaryDirectory() + "/state/amqtop/history.sqlite"
        let store = try HistoryStore(path: path)
        let event = Support.takeover(acquiredAt: Self.t)
        try store.record(.failover(event))
        #expect(try store.failovers() == [event])
        #expect(try store.failover(group: "orders", key: event.key) == event)
    }

    @Test func twoStoresOnOneFileRecordATakeoverOnce() throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let first = try HistoryStore(path: path)
        let second = try HistoryStore(path: path)
        // Each dashboard polls on its own rhythm: the first saw the takeover start, the
        // second saw the old master go earlier and the new one serve earlier.
        var seenByFirst = Support.takeover(acquiredAt: Self.t, complete: false)
        seenByFirst.toBroker = "b2"
        var seenBySecond = Support.takeover(acquiredAt: Self.t, goneAfter: -900, servingAfter: 1300)
        seenBySecond.oldMasterLastServing = nil
        seenBySecond.detectedAtMillis = Self.t + 300
        try first.record(.failover(seenByFirst))
        try second.record(.failover(seenBySecond))
        try first.record(.failover(Support.takeover(acquiredAt: Self.t)))

        let rows = try first.failovers()
        #expect(rows.count == 1)
        let merged = try #require(rows.first)
        #expect(merged.key == FailoverEvent.lockKey(Self.t))
        #expect(merged.oldMasterLastServing == seenByFirst.oldMasterLastServing)
        #expect(merged.oldMasterGone?.atMillis == Self.t - 900)
        #expect(merged.newMasterServing?.atMillis == Self.t + 1300)
        #expect(merged.detectedAtMillis == Self.t + 100)
        #expect(try second.failovers() == rows)
    }

    @Test func concurrentWritersOnOneFileKeepEveryTakeoverOnce() async throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let stores = [try HistoryStore(path: path), try HistoryStore(path: path)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask {
                    for i in 0..<50 {
                        try store.record(.failover(Support.takeover(acquiredAt: Self.t + Int64(i) * 10_000)))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try stores[0].failovers().count == 50)
    }

    @Test func stopSeenByEitherDashboardWins() throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        let store = try HistoryStore(path: path)
        try store.record(.failover(Support.takeover(acquiredAt: Self.t, cause: .crash)))
        var stopped = Support.takeover(acquiredAt: Self.t, cause: .stop)
        stopped.stopSentAtMillis = Self.t - 3000
        try store.record(.failover(stopped))
        let row = try #require(try store.failovers().first)
        #expect(row.cause == .stop)
        #expect(row.stopSentAtMillis == Self.t - 3000)
    }

    @Test func tenuresAndSplitBrainsAreTheirOwnRows() throws {
        let store = try HistoryStore(path: try Support.temporaryDirectory() + "/history.sqlite")
        let tenure = Tenure(
            group: "orders", key: FailoverEvent.lockKey(Self.t), master: nil, acquiredAtMillis: Self.t,
            firstSeenAtMillis: Self.t + 5000, startedBeforeObservation: true)
        var named = tenure
        named.master = "b1"
        let episode = SplitBrainEpisode(group: "orders", key: "lock:\(Self.t):b1", brokers: ["b1", "b2"], startedAtMillis: Self.t + 9000)
        var ended = episode
        ended.endedAtMillis = Self.t + 12_000
        try store.record([.tenure(tenure), .splitBrain(episode)])
        try store.record([.tenure(named), .splitBrain(ended)])
        #expect(try store.tenures() == [named])
        #expect(try store.splitBrains() == [ended])
        #expect(try store.failovers().isEmpty)
    }

    @Test func filtersByGroupAndPeriodAndListsTheLatestFirst() throws {
        let store = try HistoryStore(path: try Support.temporaryDirectory() + "/history.sqlite")
        for (index, group) in ["orders", "billing", "orders"].enumerated() {
            try store.record(.failover(Support.takeover(group: group, acquiredAt: Self.t + Int64(index) * 60_000)))
        }
        #expect(try store.failovers(group: "orders").count == 2)
        #expect(try store.failovers(sinceMillis: Self.t + 30_000).count == 2)
        #expect(try store.recentFailovers(limit: 2).map(\.lockAcquiredAtMillis) == [Self.t + 120_000, Self.t + 60_000])
    }

    @Test func corruptFileIsSetAsideWithAMessageAndANewStoreWorks() throws {
        let directory = try Support.temporaryDirectory()
        let path = directory + "/history.sqlite"
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        #expect(FileManager.default.createFile(atPath: path, contents: garbage))

        #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
        let opening = HistoryStore.openRecovering(path: path, nowMillis: Self.t)
        let store = try #require(opening.store)
        let aside = try #require(opening.setAsidePath)
        #expect(aside.hasPrefix(path + ".corrupt-"))
        #expect(opening.notices.count == 1)
        #expect(opening.notices[0].contains("corrupt"))
        #expect(opening.notices[0].contains(aside))
        // The corrupt file is kept as it was, for whoever wants to look at it.
        #expect(FileManager.default.contents(atPath: aside) == garbage)

        try store.record(.failover(Support.takeover(acquiredAt: Self.t)))
        #expect(try HistoryStore(path: path).failovers().count == 1)
    }

    @Test func historyDamagedInsideIsSetAside() throws {
        let path = try Support.temporaryDirectory() + "/history.sqlite"
        do {
            let store = try HistoryStore(path: path)
            for i in 0..<200 { try store.record(.failover(Support.takeover(acquiredAt: Self.t + Int64(i) * 10_000))) }
        }
        // Keep SQLite's header and overwrite every page after the first.
        var bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.count > 8192)
        for index in 4096..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index &* 7) }
        try bytes.write(to: URL(fileURLWithPath: path))

        let opening = HistoryStore.openRecovering(path: path, nowMillis: Self.t)
        #expect(opening.setAsidePath != nil)
        let store = try #require(opening.store)
        #expect(try store.failovers().isEmpty)
    }

    @Test func foreignDatabaseIsRefusedAndLeftAlone() throws {
        let path = try Support.temporaryDirectory() + "/app.sqlite"
        do {
            // Someone else's database, named as the history file by mistake.
            let other = try DatabaseQueue(path: path)
            try other.write { db in try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)") }
        }
        let before = FileManager.default.contents(atPath: path)
        let opening = HistoryStore.openRecovering(path: path, nowMillis: Self.t)
        #expect(opening.store == nil)
        #expect(opening.setAsidePath == nil)
        #expect(opening.notices.first?.contains("not an amqtop history") == true)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func defaultLocationIsCreatedUnderXDGStateHome() throws {
        let state = try Support.temporaryDirectory()
        let path = HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": state])
        let store = try HistoryStore(path: path)
        try store.record(.failover(Support.takeover(acquiredAt: Self.t)))
        #expect(FileManager.default.fileExists(atPath: state + "/amqtop/history.sqlite"))
    }
}
