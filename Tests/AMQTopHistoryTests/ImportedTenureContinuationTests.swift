import AMQTopCore
import Foundation
import Testing
@testable import AMQTopHistory

/// `history import` run before any dashboard, then the dashboard: the live recorder continues
/// the imported open tenure of the master it finds, so the current tenure is one row, not two.
struct ImportedTenureContinuationTests {
    typealias F = HistoryFixtures
    static let acquired = HistoryRecorderTests.ts1

    /// The store with one imported log tenure of `master`, started 4 s after `acquired`, still open.
    static func importedStore(master: String) throws -> (String, HistoryStore) {
        let path = try HistoryTestSupport.temporaryDirectory() + "/history.sqlite"
        let store = try HistoryStore(path: path)
        let tenure = LogTenure(master: master, acquiredAfterMillis: acquired - 5000, startedAtMillis: acquired + 4000)
        let summary = try HistoryLogImporter().importTenures([tenure], group: "orders", into: store, nowMillis: F.at(-10))
        #expect(summary.tenures == 1)
        #expect(try store.tenures().map(\.key) == ["log:\(master):\(acquired + 4000)"])
        return (path, store)
    }

    @Test func theLiveRecorderContinuesTheImportedTenureOfItsMaster() async throws {
        let (path, store) = try Self.importedStore(master: "b1")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let recorder = HistoryRecorder(path: path)
        // b1 holds the lock it took at `acquired`; then b1 stops and b2 takes over.
        _ = await HistoryRecorderTests().feed(recorder, HistoryRecorderTests.stopThenTakeover)
        let tenures = try store.tenures()
        #expect(tenures.map(\.master) == ["b1", "b2"], "\(tenures)")
        let first = try #require(tenures.first)
        #expect(first.key == "log:b1:\(Self.acquired + 4000)", "the imported row goes on")
        #expect(first.source == .liveAndLog)
        #expect(first.acquiredAtMillis == Self.acquired, "the lock's acquisition, which the log only bounds")
        #expect(first.endedAtMillis != nil, "ended by the takeover the dashboard saw")
        #expect(tenures.last?.key == FailoverEvent.lockKey(F.at(1.5)))
        // Importing the same log again still adds nothing.
        let tenure = LogTenure(master: "b1", acquiredAfterMillis: Self.acquired - 5000, startedAtMillis: Self.acquired + 4000)
        _ = try HistoryLogImporter().importTenures([tenure], group: "orders", into: store, nowMillis: F.at(5))
        #expect(try store.tenures().count == 2)
    }

    /// Another master's imported tenure, or one that began before the lock was last taken, is not continued.
    @Test func anotherMastersOrAnEarlierImportedTenureIsLeftAlone() async throws {
        let (path, store) = try Self.importedStore(master: "b2")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let recorder = HistoryRecorder(path: path)
        _ = await HistoryRecorderTests().feed(recorder, [HistoryRecorderTests.stopThenTakeover[0]])
        #expect(try store.tenures().compactMap(\.master).sorted() == ["b1", "b2"], "two masters, two rows")

        var continuation = ImportedTenureContinuation()
        let later = Tenure(group: "orders", key: FailoverEvent.lockKey(Self.acquired + 60_000), master: "b2",
                           acquiredAtMillis: Self.acquired + 60_000, firstSeenAtMillis: Self.acquired + 61_000, startedBeforeObservation: true)
        let mapped = continuation.map([.tenure(later)], store: store)
        #expect(mapped == [.tenure(later)], "taken a minute after the log's start: a new tenure")
    }
}
