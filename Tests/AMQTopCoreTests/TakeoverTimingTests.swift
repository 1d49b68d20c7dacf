import Testing
@testable import AMQTopCore

/// The one rule that dates a takeover's "old master gone" and its time without a master.
struct TakeoverTimingTests {
    static func s(_ at: Int64, _ signal: FailoverSignal = .pid) -> PhaseStamp { PhaseStamp(atMillis: at, signal: signal) }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var seen: PhaseStamp?
        var lastServing: PhaseStamp?
        var lockFree: PhaseStamp?
        var lockAcquired: PhaseStamp?
        var notBefore: Int64? = nil
        var gone: PhaseStamp?
        var outageStart: Int64?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "seen gone first: its own signal dates it",
            seen: s(400), lastServing: s(0, .jolokia), lockFree: s(450, .lockFile), lockAcquired: s(1200, .lockFile),
            gone: s(400), outageStart: 400),
        Row(name: "the lock seen free before its probes showed it gone: the lock is the earlier proof",
            seen: s(421, .jolokia), lastServing: s(0, .jolokia), lockFree: s(171, .lockFile), lockAcquired: s(1200, .lockFile),
            gone: s(171, .lockFile), outageStart: 171),
        Row(name: "acquired before it was seen gone: gone by the acquisition",
            seen: s(3000), lastServing: s(2000, .jolokia), lockAcquired: s(2800, .lockFile),
            gone: s(2800, .lockFile), outageStart: 2800),
        Row(name: "seen serving after the lock was taken behind it: gone stays where it was seen",
            seen: s(2000), lastServing: s(1000, .jolokia), lockAcquired: s(500, .lockFile),
            gone: s(2000), outageStart: 2000),
        Row(name: "never seen gone: the last serving sighting starts the outage",
            lastServing: s(1000, .jolokia), lockFree: s(1500, .lockFile), lockAcquired: s(2000, .lockFile),
            gone: nil, outageStart: 1000),
        Row(name: "nothing of the old master: the acquisition",
            lockAcquired: s(2000, .lockFile), gone: nil, outageStart: 2000),
        Row(name: "never before the stop",
            seen: s(400), lockFree: s(300, .lockFile), notBefore: 350, gone: s(300, .lockFile), outageStart: 350),
    ]

    @Test(arguments: rows)
    func row(_ row: Row) {
        #expect(TakeoverTiming.oldMasterGone(seen: row.seen, lastServing: row.lastServing, lockFree: row.lockFree, lockAcquired: row.lockAcquired) == row.gone)
        #expect(TakeoverTiming.outageStart(
            gone: row.seen, lastServing: row.lastServing, lockFree: row.lockFree, lockAcquired: row.lockAcquired,
            notBeforeMillis: row.notBefore) == row.outageStart)
    }

    @Test func timeWithoutMasterIsNeverNegative() {
        #expect(TakeoverTiming.timeWithoutMaster(outageStartMillis: 500, newMasterServingMillis: 3000) == 2500)
        #expect(TakeoverTiming.timeWithoutMaster(outageStartMillis: 500, newMasterServingMillis: 400) == 0)
        #expect(TakeoverTiming.timeWithoutMaster(outageStartMillis: nil, newMasterServingMillis: 400) == nil)
    }
}
