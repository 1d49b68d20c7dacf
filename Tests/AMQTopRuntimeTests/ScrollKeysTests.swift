import AMQTopCore
import Testing

/// The moving keys in the group view move what the focused panel shows: the broker
/// selection, or the alerts' and the history's scroll, each kept inside its content. On the
/// overview, Tab gives them to the selected group's alerts and back.
@Suite struct ScrollKeysTests {
    func press(_ state: inout AppState, _ keys: Key...) {
        for key in keys { _ = Reducer.reduce(&state, .key(key)) }
    }

    /// orders has four alerts; the state has twelve failovers for it.
    func ordersView() -> AppState {
        var state = Fixtures.state(Fixtures.all3, observations: Fixtures.all3Observed)
        let events = (0..<12).map { index in
            FailoverEvent(group: "orders", key: "lock:\(index)", fromBroker: "o1", toBroker: "o2", cause: .crash, detectedAtMillis: Fixtures.now - Int64(index) * 60_000)
        }
        _ = Reducer.reduce(&state, .failovers(group: "orders", events))
        press(&state, .down, .enter)
        return state
    }

    @Test func pageKeysMoveTheBrokerSelectionWhenTheBrokersHaveTheFocus() {
        var state = ordersView()
        #expect(state.focus == .brokers)
        press(&state, .pageDown)
        #expect(state.currentBroker?.name == "o2" && state.scroll.isEmpty)
        press(&state, .wheelUp)
        #expect(state.currentBroker?.name == "o1")
    }

    @Test func alertsScrollByWholeAlertsAndStopAtTheLast() {
        var state = ordersView()
        press(&state, .tab, .tab, .tab)
        #expect(state.focus == .alerts)
        press(&state, .pageDown)
        #expect(state.scroll[.alerts] == 1)
        press(&state, .pageDown, .pageDown, .pageDown, .pageDown, .wheelDown)
        #expect(state.scroll[.alerts] == 3, "four alerts: the last one is the furthest")
        press(&state, .home)
        #expect(state.scroll[.alerts] == 0)
        press(&state, .end)
        #expect(state.scroll[.alerts] == 3)
        #expect(state.currentBroker?.name == "o1", "scrolling the alerts leaves the broker selection alone")
    }

    @Test func historyScrollsByRowsAndPages() {
        var state = ordersView()
        press(&state, .backTab)
        #expect(state.focus == .history)
        press(&state, .down, .down)
        #expect(state.scroll[.history] == 2)
        press(&state, .wheelDown)
        #expect(state.scroll[.history] == 5)
        press(&state, .pageDown, .pageDown)
        #expect(state.scroll[.history] == 11, "twelve failovers: row 11 is the last")
        press(&state, .pageUp)
        #expect(state.scroll[.history] == 11 - max(3, state.height / 3))
        // Leaving the group and opening another starts at the top again.
        press(&state, .escape, .up, .enter)
        #expect(state.scroll.isEmpty)
    }

    @Test func tabOnTheOverviewScrollsTheSelectedGroupsPanelsThenSelectsAgain() {
        var state = Fixtures.state(Fixtures.all3, observations: Fixtures.all3Observed)
        press(&state, .down)
        #expect(state.currentGroup?.name == "orders" && !state.overviewDetailFocused)
        press(&state, .tab, .pageDown, .wheelDown)
        #expect(state.overviewDetailFocused)
        #expect(state.scroll[.overview] == 2, "by whole alerts and panels, as the group view's alerts")
        #expect(state.currentGroup?.name == "orders", "scrolling leaves the group selection alone")
        press(&state, .end, .down)
        // Four alerts, then the brokers, the lock row and the history: seven stops.
        #expect(ScrollablePanel.overviewStops(alerts: 4) == 7 && state.scroll[.overview] == 6)
        press(&state, .home)
        #expect(state.scroll[.overview] == 0)
        press(&state, .pageDown, .tab)
        #expect(!state.overviewDetailFocused)
        // Back on the list the moving keys select again, and another group starts at its first alert.
        press(&state, .down)
        #expect(state.currentGroup?.name == "billing" && state.scroll[.overview] == nil)
        press(&state, .tab, .escape)
        #expect(!state.overviewDetailFocused, "Esc goes back to the list")
        press(&state, .tab, .enter)
        #expect(state.view == .group("billing") && !state.overviewDetailFocused && state.scroll.isEmpty)
        // Back from the group view its alerts' scroll does not carry over.
        press(&state, .tab, .tab, .tab, .pageDown, .escape)
        #expect(state.view == .overview && state.scroll.isEmpty)
    }

    @Test func tCyclesTheTimelineWindowEverywhere() {
        var state = Fixtures.state(Fixtures.all3, observations: Fixtures.all3Observed)
        #expect(state.timelineWindow == .day)
        press(&state, .character("t"))
        #expect(state.timelineWindow == .week && state.statusMessage == "timeline: last week")
        press(&state, .enter, .character("t"))
        #expect(state.timelineWindow == .hour)
    }
}
