import AMQTopCore
import Foundation
import Testing
@testable import AMQTopScreen

/// The tenure timeline over a week of synthetic history, as text (`amqtop history --timeline`)
/// and on screen, compared with the files in `Snapshots/`.
@Suite struct TimelineSnapshotTests {
    let utc = TimeZone(identifier: "UTC")!

    func timeline(_ window: TimelineWindow, live: TenureTimeline.Live? = .init(masters: ["b1"], sinceMillis: Fixtures.acquired)) -> TenureTimeline {
        TenureTimeline.build(
            group: "prod-east", window: window, nowMillis: WeekOfHistory.now, configured: ["b1", "b2", "b3"],
            history: WeekOfHistory.history, live: live)
    }

    func render(_ state: AppState) -> String {
        TextRenderer.render(DashboardRenderer.render(state, context: ViewContext(glyphs: .unicode)))
    }

    @Test(arguments: TimelineWindow.allCases)
    func textOfEachWindow(window: TimelineWindow) throws {
        let text = TimelineText.render([timeline(window)], timeZone: utc)
        try Snapshot.assert(text, named: "timeline-text-\(window.rawValue)")
    }

    /// What the week's strip must show whatever the width: each crash, the stop, the split
    /// brain, the long gap, the unwatched start, and every broker's letter.
    @Test(arguments: [40, 72, 200])
    func weekStripShowsEveryEvent(width: Int) {
        let strip = timeline(.week).columns(count: width).map { $0.character(letters: ["A", "B", "C"]) }.joined()
        for mark in ["x", "s", "?", "#", "_", ".", "A", "B", "C"] {
            #expect(strip.contains(mark), "\(mark) missing at width \(width): \(strip)")
        }
        #expect(strip.hasPrefix("."), "the first half day nobody watched: \(strip)")
        #expect(strip.hasSuffix("x"), "the crash three minutes ago is in the last column: \(strip)")
        let hour = timeline(.hour).columns(count: width).map { $0.character(letters: ["A", "B", "C"]) }.joined()
        #expect(hour.hasPrefix("B") && hour.hasSuffix("A") && hour.contains("x"), "the last hour: b2, the crash, b1 now: \(hour)")
    }

    /// The long gap reads as its length, and the legend names every letter.
    @Test func gapsAndLegendAreSpelledOut() {
        let text = TimelineText.render([timeline(.week)], timeZone: utc)
        #expect(text.contains("A b1, B b2, C b3"))
        #expect(text.contains("longest 2h30m"), "\(text)")
        #expect(text.contains("split brain: 1"), "\(text)")
    }

    /// The group view with the week loaded, after `t` twice (day, then week).
    @Test func groupViewWeek120x40() throws {
        var state = WeekOfHistory.state(width: 120, height: 40)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .key(.character("t")))
        _ = Reducer.reduce(&state, .key(.character("t")))
        #expect(state.timelineWindow == .hour)
        _ = Reducer.reduce(&state, .key(.character("t")))
        _ = Reducer.reduce(&state, .key(.character("t")))
        #expect(state.timelineWindow == .week)
        try Snapshot.assert(render(state), named: "group-timeline-week-120x40")
    }
}
