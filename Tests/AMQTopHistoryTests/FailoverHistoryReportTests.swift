import AMQTopCore
import Foundation
import Testing

/// The pure parts of `amqtop history`: statistics, CSV quoting, the --since parser.
struct FailoverHistoryReportTests {
    typealias Support = HistoryTestSupport
    static let t: Int64 = 1_800_000_000_000

    @Test func statisticsCountEveryFailoverButMeasureOnlyFinishedOnes() {
        let events = [
            Support.takeover(acquiredAt: Self.t, goneAfter: -1000, servingAfter: 1000),
            Support.takeover(acquiredAt: Self.t + 60_000, goneAfter: -1000, servingAfter: 5000),
            Support.takeover(acquiredAt: Self.t + 120_000, complete: false),
            Support.takeover(group: "billing", acquiredAt: Self.t + 180_000),
        ]
        let stats = GroupFailoverStatistics.of(events)
        #expect(stats.map(\.group) == ["orders", "billing"])
        #expect(stats[0].count == 3)
        #expect(stats[0].measuredCount == 2)
        #expect(stats[0].meanTimeWithoutMasterMillis == 4000)
        #expect(stats[0].maxTimeWithoutMasterMillis == 6000)
    }

    @Test func inProgressFailoverSaysSoInText() {
        let report = FailoverHistoryReport(failovers: [Support.takeover(acquiredAt: Self.t, complete: false)])
        #expect(report.text(timeZone: TimeZone(identifier: "UTC") ?? .current).contains("in progress"))
    }

    @Test func csvQuotesNamesWithCommas() {
        let report = FailoverHistoryReport(failovers: [Support.takeover(group: "east, main", acquiredAt: Self.t)])
        let lines = report.csv().split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains("\"east, main\""))
    }

    @Test func emptyHistorySaysSo() {
        #expect(FailoverHistoryReport(failovers: []).text().hasPrefix("No failovers recorded"))
        #expect(FailoverHistoryReport(failovers: []).csv() == FailoverHistoryReport.csvHeader.joined(separator: ",") + "\n")
    }

    /// 2027-01-15T00:00:00Z: `t` is 08:00 UTC that day.
    static let dayStart: Int64 = 1_799_971_200_000
    static let sinceRows: [(String, Int64)] = [
        ("24h", t - 86_400_000),
        ("7d", t - 604_800_000),
        ("90m", t - 5_400_000),
        ("2027-01-15", dayStart),
        ("2027-01-15T08:00:00Z", t),
        ("2027-01-15 08:00", t),
    ]

    @Test(arguments: sinceRows)
    func sinceParses(_ text: String, _ expected: Int64) {
        #expect(HistorySince.parse(text, nowMillis: Self.t, timeZone: TimeZone(identifier: "UTC") ?? .current) == expected)
    }

    @Test(arguments: ["", "5", "yesterday", "2027-13-45"])
    func sinceRejects(_ text: String) {
        #expect(HistorySince.parse(text, nowMillis: Self.t) == nil)
    }
}
