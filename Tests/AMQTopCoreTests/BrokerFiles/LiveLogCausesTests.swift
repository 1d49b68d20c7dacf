import Foundation
import Testing
@testable import AMQTopCore

/// The tailed lines' interpretation: which ending explains which recorded takeover.
struct LiveLogCausesTests {
    static let utc = TimeZone(identifier: "UTC") ?? .current
    typealias W = BrokerLogWriter

    static func event(from: String = "b1", cause: FailoverCause = .crash, goneAt: Int64, acquiredAt: Int64) -> FailoverEvent {
        FailoverEvent(
            group: "orders", key: FailoverEvent.lockKey(acquiredAt), fromBroker: from, toBroker: "b2", cause: cause,
            detectedAtMillis: acquiredAt + 100, oldMasterGone: PhaseStamp(atMillis: goneAt, signal: .pid),
            lockAcquired: PhaseStamp(atMillis: acquiredAt, signal: .lockFile))
    }

    @Test func aCleanShutdownAndAGiveUpExplainTheTakeoverNearThem() {
        var causes = LiveLogCauses(timeZone: Self.utc)
        var b1 = W("b1")
        b1.shutsDown(10_000)
        let toldShutdown = causes.take(broker: "b1", lines: b1.lines)
        #expect(toldShutdown)
        let stop = causes.explain(Self.event(goneAt: W.epoch(10_500), acquiredAt: W.epoch(11_000)))
        #expect(stop?.cause == .shutdown && stop?.causeDetail == "b1 shut down cleanly")
        // Too long before: another story.
        #expect(causes.explain(Self.event(goneAt: W.epoch(200_000), acquiredAt: W.epoch(201_000))) == nil)
        // Another old master: not its ending.
        #expect(causes.explain(Self.event(from: "b3", goneAt: W.epoch(10_500), acquiredAt: W.epoch(11_000))) == nil)

        var again = W("b1")
        again.givesUp(300_000)
        let toldGiveUp = causes.take(broker: "b1", lines: again.lines)
        #expect(toldGiveUp)
        let lost = causes.explain(Self.event(cause: .unknown, goneAt: W.epoch(300_100), acquiredAt: W.epoch(301_000)))
        // The shutdown lines after the give-up are part of it.
        #expect(lost?.cause == .lockLost)
        #expect(lost?.causeDetail == "b1 gave up the lock: its keep-alive saw the lock file change")
    }

    @Test func aStopAmqtopSentStaysAStopWithTheLogsSentence() {
        var causes = LiveLogCauses(timeZone: Self.utc)
        var b1 = W("b1")
        b1.shutsDown(10_000)
        causes.take(broker: "b1", lines: b1.lines)
        let told = causes.explain(Self.event(cause: .stop, goneAt: W.epoch(10_500), acquiredAt: W.epoch(11_000)))
        #expect(told?.cause == .stop && told?.causeDetail == "b1 shut down cleanly")
    }

    @Test func linesThatSayNothingChangeNothing() {
        var causes = LiveLogCauses(timeZone: Self.utc)
        var b1 = W("b1")
        b1.context(0); b1.starts(100); b1.trace()
        let told = causes.take(broker: "b1", lines: b1.lines + ["\u{1B}[31mnot a line"])
        #expect(!told)
        #expect(causes.explain(Self.event(goneAt: W.epoch(500), acquiredAt: W.epoch(600))) == nil)
    }
}
