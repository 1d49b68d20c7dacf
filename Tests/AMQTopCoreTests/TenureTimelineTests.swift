import Testing
@testable import AMQTopCore

/// The rules that cut a group's history into timeline columns, one at a time.
@Suite struct TenureTimelineTests {
    static let now: Int64 = 1_763_918_400_000
    static let week = TimelineWindow.week.millis

    static func tenure(_ master: String?, from: Int64, until: Int64? = nil) -> Tenure {
        Tenure(group: "g", key: FailoverEvent.lockKey(from), master: master, acquiredAtMillis: from, firstSeenAtMillis: from,
               endedAtMillis: until, startedBeforeObservation: false)
    }

    static func failover(_ from: String, _ to: String, at acquired: Int64, gone: Int64, serving: Int64?, cause: FailoverCause = .crash) -> FailoverEvent {
        FailoverEvent(
            group: "g", key: FailoverEvent.lockKey(acquired), fromBroker: from, toBroker: to, cause: cause, detectedAtMillis: acquired,
            oldMasterGone: PhaseStamp(atMillis: gone, signal: .pid), lockAcquired: PhaseStamp(atMillis: acquired, signal: .lockFile),
            newMasterServing: serving.map { PhaseStamp(atMillis: $0, signal: .jolokia) })
    }

    func build(_ history: TimelineHistory, window: TimelineWindow = .week, live: TenureTimeline.Live? = nil) -> TenureTimeline {
        TenureTimeline.build(group: "g", window: window, nowMillis: Self.now, configured: ["a1", "a2"], history: history, live: live)
    }

    func strip(_ timeline: TenureTimeline, _ width: Int) -> String {
        timeline.columns(count: width).map { $0.character(letters: timeline.letters) }.joined()
    }

    /// Five seconds without master in a week is 0.0008% of one column's time: still a mark.
    @Test func aShortFailoverInAWeekIsStillOneColumn() {
        // Mid-column, so the gap and the takeover share column 10 of 20.
        let at = Self.now - Self.week / 2 + Self.week / 40
        let timeline = build(TimelineHistory(
            tenures: [Self.tenure("a1", from: Self.now - 2 * Self.week, until: at), Self.tenure("a2", from: at)],
            failovers: [Self.failover("a1", "a2", at: at, gone: at - 3000, serving: at + 2000)]))
        let text = strip(timeline, 20)
        #expect(text == "AAAAAAAAAAxBBBBBBBBB", "\(text)")
        #expect(timeline.gaps.map(\.millis) == [5000])
    }

    /// A split brain outranks the failover and the tenure in its column.
    @Test func splitBrainOutranksEverything() {
        let at = Self.now - 1000
        let timeline = build(TimelineHistory(
            tenures: [Self.tenure("a1", from: Self.now - 2 * Self.week)],
            failovers: [Self.failover("a2", "a1", at: at, gone: at - 10, serving: at + 10)],
            splitBrains: [SplitBrainEpisode(group: "g", key: "s", brokers: ["a1", "a2"], startedAtMillis: at - 50, endedAtMillis: at + 50)]),
            window: .hour)
        #expect(strip(timeline, 10).hasSuffix("#"))
        #expect(timeline.splitBrains.count == 1)
    }

    /// An open tenure that a later one follows ended where the later one began.
    @Test func anOpenTenureEndsAtTheNextOne() {
        let middle = Self.now - Self.week / 2
        let timeline = build(TimelineHistory(tenures: [Self.tenure("a1", from: Self.now - Self.week), Self.tenure("a2", from: middle)]))
        #expect(strip(timeline, 10) == "AAAAABBBBB")
        #expect(timeline.heldMillis[0] == Self.week / 2 && timeline.heldMillis[1] == Self.week / 2)
    }

    /// Nothing recorded, nothing live: every column reads "not watched", nothing is invented.
    @Test func noHistoryIsNotWatched() {
        let timeline = build(TimelineHistory())
        #expect(strip(timeline, 8) == "........")
        #expect(timeline.notWatchedMillis == Self.week)
    }

    /// No master now shows in the last column, but is not counted as a recorded gap of one poll.
    @Test func liveNoMasterIsShownNotMeasured() {
        let timeline = build(TimelineHistory(tenures: [Self.tenure("a1", from: Self.now - 2 * Self.week)]), live: .init(masters: [], sinceMillis: Self.now - 1000))
        #expect(strip(timeline, 6) == "AAAAA_")
        #expect(timeline.gaps.isEmpty && timeline.liveTrouble == "no master now")
        #expect(TimelineText.gapSummary(timeline) == "none recorded; no master now")
    }

    /// A takeover still in progress is a gap until now, and its mark says in progress.
    @Test func aTakeoverInProgressIsAGapUntilNow() {
        let gone = Self.now - 20 * 60_000
        let timeline = build(TimelineHistory(
            tenures: [Self.tenure("a1", from: Self.now - 2 * Self.week, until: gone)],
            failovers: [Self.failover("a1", "a2", at: gone + 100, gone: gone, serving: nil)]), window: .hour)
        #expect(strip(timeline, 6) == "AAAAx_", "\(strip(timeline, 6))")
        #expect(timeline.gaps.map(\.millis) == [20 * 60_000])
        #expect(TimelineText.render([timeline]).contains("in progress"))
    }

    /// Brokers outside the configuration (renamed, or a foreign holder) get the next letters.
    @Test func unknownBrokersGetLettersToo() {
        let timeline = build(TimelineHistory(tenures: [Self.tenure(nil, from: Self.now - 2 * Self.week)]))
        #expect(timeline.brokers == ["a1", "a2", TenureTimeline.unknownHolder])
        #expect(strip(timeline, 4) == "CCCC")
        #expect(TimelineText.legend(timeline) == "A a1, B a2, C unknown holder")
    }

    @Test func windowsParseAndCycle() {
        #expect(TimelineWindow.parse("1h") == .hour && TimelineWindow.parse("24h") == .day && TimelineWindow.parse("7d") == .week)
        #expect(TimelineWindow.parse("2d") == nil)
        #expect(TimelineWindow.hour.next == .day && TimelineWindow.day.next == .week && TimelineWindow.week.next == .hour)
    }
}
