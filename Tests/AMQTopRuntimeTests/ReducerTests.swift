import AMQTopCore
import Testing

/// Keystrokes and probe results in, state and effects out: no terminal, no I/O.
@Suite struct ReducerTests {
    func observed() -> AppState {
        Fixtures.state(Fixtures.all3, observations: Fixtures.all3Observed)
    }

    func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { Reducer.reduce(&state, .key($0)) }
    }

    @Test func quitPollAndHelp() {
        var state = observed()
        #expect(press(&state, .character("q")) == [.quit])
        #expect(press(&state, .character("r")) == [.pollNow])
        #expect(state.statusMessage == "polling now")
        #expect(press(&state, .character("?")) == [])
        #expect(state.view == .help(returnTo: .overview))
        _ = press(&state, .escape)
        #expect(state.view == .overview)
        #expect(press(&state, .redraw) == [.repaintAll])
    }

    @Test func arrowsAndJKMoveAndClamp() {
        var state = observed()
        _ = press(&state, .down, .character("j"), .down, .down)
        #expect(state.selectedGroup == 2)
        _ = press(&state, .up, .character("k"), .character("k"))
        #expect(state.selectedGroup == 0)
    }

    @Test func enterOpensTheGroupAndEscOrBackspaceGoBack() {
        var state = observed()
        _ = press(&state, .down, .enter)
        #expect(state.view == .group("orders"))
        _ = press(&state, .down)
        #expect(state.currentBroker?.name == "o2")
        _ = press(&state, .escape)
        #expect(state.view == .overview)
        _ = press(&state, .enter, .backspace)
        #expect(state.view == .overview)
    }

    @Test func tabCyclesPanels() {
        var state = observed()
        _ = press(&state, .enter)
        #expect(state.focus == .brokers)
        _ = press(&state, .tab, .tab)
        #expect(state.focus == .keepAlive)
        _ = press(&state, .backTab, .backTab, .backTab)
        #expect(state.focus == .history)
    }

    @Test func stopOnABrokerOpensTheDialogForThatBroker() {
        var state = observed()
        _ = press(&state, .enter, .down)
        #expect(press(&state, .character("s")) == [])
        #expect(state.stopDialog?.plan.broker == "b2")
        #expect(state.stopDialog?.phase == .confirming)
    }

    @Test func filterTypesInsteadOfActing() {
        var state = observed()
        #expect(press(&state, .character("/"), .character("b"), .character("i"), .character("q")) == [])
        #expect(state.isEditingFilter && state.filter == "biq")
        _ = press(&state, .backspace, .backspace, .character("i"), .enter)
        #expect(!state.isEditingFilter && state.filter == "bi")
        #expect(state.visibleGroups.map(\.name) == ["billing"])
        _ = press(&state, .escape)
        #expect(state.filter == "" && state.visibleGroups.count == 3)
    }

    @Test func aPasteIntoTheFilterIsCappedAndSaysSo() {
        var state = observed()
        _ = press(&state, .character("/"))
        // 10,000 keys, as a 10 kB paste arrives: each one costs a bounded filter.
        for index in 0..<10_000 { _ = press(&state, .character(index.isMultiple(of: 2) ? "b" : "é")) }
        #expect(state.isEditingFilter)
        #expect(state.filter.unicodeScalars.count == AppState.filterLimit)
        #expect(state.statusMessage?.contains("at most \(AppState.filterLimit) characters") == true)
        // Still editable: backspace makes room for one more.
        _ = press(&state, .backspace, .character("x"))
        #expect(state.filter.unicodeScalars.count == AppState.filterLimit && state.filter.hasSuffix("x"))
        _ = press(&state, .escape)
        #expect(state.filter.isEmpty && state.visibleGroups.count == 3)
    }

    @Test func filterMatchesBrokerNames() {
        var state = observed()
        _ = press(&state, .character("/"), .character("o"), .character("2"), .enter)
        #expect(state.visibleGroups.map(\.name) == ["orders"])
        _ = press(&state, .enter)
        #expect(state.visibleBrokers(of: Fixtures.orders).map(\.name) == ["o2"])
        #expect(state.currentBroker?.name == "o2")
    }

    @Test func observationsReassessAndRoundsMarkTime() {
        var state = AppState(config: AppConfig(groups: [Fixtures.prod]), nowMillis: Fixtures.now)
        #expect(state.pollHealth == .waiting)
        #expect(state.overallStatus == .unknown)
        _ = Reducer.reduce(&state, .lockSnapshot(group: "prod-east", Fixtures.healthyProd.lock!))
        for broker in Fixtures.healthyProd.brokers.reversed() {
            _ = Reducer.reduce(&state, .brokerObservation(group: "prod-east", broker))
        }
        #expect(state.observations["prod-east"]?.brokers.map(\.name) == ["b1", "b2", "b3"])
        #expect(state.assessments["prod-east"]?.master == "b1")
        _ = Reducer.reduce(&state, .roundComplete(atMillis: Fixtures.now))
        #expect(state.pollHealth == .onTime)
        _ = Reducer.reduce(&state, .tick(nowMillis: Fixtures.now + 4500))
        #expect(state.pollHealth.mark == "LATE")
        _ = Reducer.reduce(&state, .tick(nowMillis: Fixtures.now + 60_000))
        #expect(state.pollHealth.mark == "FAILING")
        #expect(state.statusMessage == nil)
    }

    @Test func statusMessagesExpire() {
        var state = observed()
        _ = press(&state, .character("r"))
        _ = Reducer.reduce(&state, .tick(nowMillis: state.nowMillis + AppState.messageMillis))
        #expect(state.statusMessage == nil)
    }

    @Test func resizeIsRecorded() {
        var state = observed()
        _ = Reducer.reduce(&state, .resize(width: 60, height: 15))
        #expect(state.width == 60 && state.height == 15)
    }

    @Test func everyFreshLookAtAGroupAsksToBeRecorded() {
        var state = AppState(config: AppConfig(groups: [Fixtures.prod]), nowMillis: Fixtures.now)
        let lock = Reducer.reduce(&state, .lockSnapshot(group: "prod-east", Fixtures.healthyProd.lock!))
        #expect(lock == [.recordObservation(state.observations["prod-east"]!, state.assessments["prod-east"]!)])
        let broker = Reducer.reduce(&state, .brokerObservation(group: "prod-east", Fixtures.healthyProd.brokers[0]))
        #expect(broker == [.recordObservation(state.observations["prod-east"]!, state.assessments["prod-east"]!)])
        #expect(state.observations["prod-east"]?.brokers.map(\.name) == ["b1"])
        // Ticks, rounds and keys record nothing.
        #expect(Reducer.reduce(&state, .tick(nowMillis: Fixtures.now + 250)) == [])
        #expect(Reducer.reduce(&state, .roundComplete(atMillis: Fixtures.now + 250)) == [])
        #expect(Reducer.reduce(&state, .key(.down)) == [])
    }

    @Test func aStopThatWentOutIsNotedForTheHistoryAndOneThatDidNotIsNot() {
        var state = observed()
        let sent = Reducer.reduce(&state, .stopFinished(group: "prod-east", broker: "b1", outcome: .sent("ok"), sentAtMillis: Fixtures.now))
        #expect(sent == [.noteStop(group: "prod-east", broker: "b1", atMillis: Fixtures.now)])
        let refused = Reducer.reduce(&state, .stopFinished(group: "orders", broker: "o1", outcome: .refused("no pid file"), sentAtMillis: Fixtures.now))
        #expect(refused == [])
    }
}
