import Foundation
import Testing
@testable import AMQTopCore

/// Tenures and takeovers rebuilt from three brokers' logs: the proof's three causes, the
/// windows an import matches live records with, and the cases where a log is missing.
struct LogHistoryReconstructorTests {
    static let utc = TimeZone(identifier: "UTC") ?? .current
    typealias W = BrokerLogWriter

    static func logs(_ writers: [BrokerLogWriter]) -> [LogHistoryReconstructor.BrokerLog] {
        writers.map { writer in
            LogHistoryReconstructor.BrokerLog(
                broker: writer.name, entries: BrokerLogScan.scan(path: "\(writer.name).log", text: writer.text, timeZone: utc).entries)
        }
    }

    /// The proof's story: b1 first, kill -9 (b2 recovers), clean stop of b2, then b3's lock touched.
    static func story() -> [BrokerLogWriter] {
        var b1 = W("b1"), b2 = W("b2"), b3 = W("b3")
        b1.context(0); b2.context(10); b3.context(20)
        b1.starts(1_000)
        b2.waits(1_100); b3.waits(1_200)
        // 10 s: b1 vanishes (kill -9); b2 takes over after recovering the store.
        b2.recovers(12_000); b2.starts(12_100)
        // b1 comes back as a slave.
        b1.context(15_000); b1.waits(16_000)
        // 20 s: b2 stops cleanly; b3 takes over.
        b2.shutsDown(20_000)
        b3.starts(22_000)
        // 30 s: b3's keep-alive sees its lock file change; it gives up and waits again, b1 takes over.
        b3.givesUp(30_000)
        b3.context(30_100); b3.waits(30_200)
        b1.starts(31_000, run: 2)
        b3.trace()
        return [b1, b2, b3]
    }

    @Test func theThreeCausesOfTheProofComeOutInOrder() {
        let tenures = LogHistoryReconstructor.tenures(Self.logs(Self.story()))
        #expect(tenures.map(\.master) == ["b1", "b2", "b3", "b1"])
        #expect(tenures.map(\.takeover?.cause) == [nil, .crash, .shutdown, .lockLost])
        #expect(tenures.map(\.takeover?.fromBroker) == [nil, "b1", "b2", "b3"])
        #expect(tenures[1].takeover?.detail == "b1 vanished without a shutdown line; b2 recovered the store after an unclean shutdown")
        #expect(tenures[2].takeover?.detail == "b2 shut down cleanly")
        #expect(tenures[3].takeover?.detail == "b3 gave up the lock: its keep-alive saw the lock file change")
        // A crash's instant is not logged; a shutdown's and a give-up's are.
        #expect(tenures[1].takeover?.oldMasterGone == nil)
        #expect(tenures[2].takeover?.oldMasterGone == PhaseStamp(atMillis: W.epoch(20_000), signal: .log))
        #expect(tenures[3].takeover?.oldMasterGone == PhaseStamp(atMillis: W.epoch(30_002), signal: .log))
        // Each started line, and the window its lock was taken in.
        #expect(tenures.map(\.startedAtMillis) == [1_020, 12_120, 22_020, 31_020].map(W.epoch))
        // b2 waited from 1.1 s, and b1's last line was its start at 1.02 s: after 1.1 s.
        #expect(tenures[1].acquiredAfterMillis == W.epoch(1_100))
        // b3 waited from 1.2 s; b2's shutdown began at 20 s.
        #expect(tenures[2].acquiredAfterMillis == W.epoch(20_000))
        // b1 waited again from 16 s; b3 gave up at 30.002 s.
        #expect(tenures[3].acquiredAfterMillis == W.epoch(30_002))
        #expect(tenures.map(\.endedAtMillis) == [W.epoch(1_100), W.epoch(20_000), W.epoch(30_002), nil])
    }

    @Test func theOrderOfFilesAndLinesGivenTwiceChangeNothing() {
        let once = LogHistoryReconstructor.tenures(Self.logs(Self.story()))
        var doubled = Self.logs(Self.story().reversed())
        doubled[0].entries += doubled[0].entries
        #expect(LogHistoryReconstructor.tenures(doubled) == once)
    }

    @Test func aGiveUpWithoutTheLockFileLineSaysTheLockWasNoLongerHeld() {
        var b1 = W("b1"), b2 = W("b2")
        b1.context(0); b1.starts(500)
        b2.context(0); b2.waits(600)
        b1.line(5_000, "b1, no longer able to keep the exclusive lock so giving up being a master", level: "ERROR",
                category: "org.apache.activemq.broker.LockableServiceSupport")
        b2.starts(6_000)
        let tenures = LogHistoryReconstructor.tenures(Self.logs([b1, b2]))
        #expect(tenures.last?.takeover?.cause == .lockLost)
        #expect(tenures.last?.takeover?.detail == "b1 gave up the lock: its keep-alive found the lock no longer held")
    }

    @Test func aMasterWhoseLogIsMissingLeavesATakeoverFromNobody() {
        var b2 = W("b2")
        b2.context(0); b2.waits(100); b2.recovers(9_000); b2.starts(9_100)
        var b3 = W("b3")
        b3.context(0); b3.waits(100); b3.starts(20_000)
        #expect(LogHistoryReconstructor.tenures(Self.logs([b2])).map(\.takeover?.cause) == [.crash])
        #expect(LogHistoryReconstructor.tenures(Self.logs([b2])).first?.takeover?.fromBroker == nil)
        #expect(LogHistoryReconstructor.tenures(Self.logs([b3])).map(\.takeover?.cause) == [.unknown])
    }

    @Test func aMasterRestartedWithoutAShutdownLineHadVanished() {
        var b1 = W("b1")
        b1.context(0); b1.starts(500)
        // A new JVM, no shutdown: the old one was killed. It takes the free lock at once.
        b1.context(60_000); b1.recovers(61_000); b1.starts(61_100, run: 2)
        let tenures = LogHistoryReconstructor.tenures(Self.logs([b1]))
        #expect(tenures.map(\.takeover?.cause) == [nil, .crash])
        #expect(tenures.last?.takeover?.fromBroker == "b1")
        #expect(tenures.last?.acquiredAfterMillis == W.epoch(60_000))
    }

    @Test func slavesThatNeverServeAndGarbageAddNothing() {
        var b2 = W("b2")
        b2.context(0); b2.waits(100); b2.trace()
        #expect(LogHistoryReconstructor.tenures(Self.logs([b2])).isEmpty)
        let scan = BrokerLogScan.scan(path: "x", text: b2.text + "\u{1B}[2J garbage\n\n", timeZone: Self.utc)
        #expect(scan.unknownLines == 3)
        #expect(scan.lineCount == 6)
        #expect(scan.brokerNames.isEmpty)
        #expect(scan.lockFiles == ["/srv/san/orders/lock"])
    }

    @Test func namesFromALogNeverCarryControlCharacters() {
        var evil = W("b1\u{1B}]0;owned\u{07}")
        evil.context(0); evil.starts(100)
        let scan = BrokerLogScan.scan(path: "x", text: evil.text, timeZone: Self.utc)
        #expect(scan.brokerNames == ["b1?]0;owned?"])
    }

    @Test func theZoneOfTheLogPlacesItsLines() throws {
        var b1 = W("b1")
        b1.starts(0)
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let utc = BrokerLogScan.scan(path: "x", text: b1.text, timeZone: Self.utc).entries[0].atMillis
        let local = BrokerLogScan.scan(path: "x", text: b1.text, timeZone: paris).entries[0].atMillis
        // December: Paris is UTC+1, so its 09:00 was 08:00 UTC.
        #expect(utc - local == 3_600_000)
    }
}
