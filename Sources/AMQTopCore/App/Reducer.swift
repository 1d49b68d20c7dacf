/// The dashboard's only state update: an event in, the new state and the effects out.
///
/// Pure and synchronous: it never blocks, polls, records or draws. Keys, probe results and
/// clock ticks all pass through here, so a test can replay any sequence of them; whatever
/// must happen outside (a poll, a stop, a history record, a stop noted for the history) is
/// an `Effect` it returns, for the runner (`DashboardLoop`) to carry out.
public enum Reducer {
    /// Applies one event to the state and returns what the runner must do.
    public static func reduce(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        // Only what can change a verdict is compared: one group's results, or every group on a tick.
        let watched: [String]
        switch event {
        case .lockSnapshot(let group, _), .brokerObservation(let group, _): watched = [group]
        case .tick: watched = state.config.groups.map(\.name)
        default: watched = []
        }
        let assessmentsBefore = watched.reduce(into: [String: GroupAssessment]()) { $0[$1] = state.assessments[$1] }
        let effects = apply(&state, event)
        if !watched.isEmpty { announceReturns(&state, in: watched, before: assessmentsBefore) }
        if state.showsFirstRunHint, case .stopFinished(_, _, let outcome, _) = event, outcome.wasSent {
            // The hint has done its work once a stop went out.
            state.showsFirstRunHint = false
        }
        return effects
    }

    /// Says on the status line when a broker that was down is running again, and as what.
    ///
    /// A stopped broker that comes back (restarted by hand, by systemd, by the lab's respawn)
    /// otherwise only changes a symbol in a row the operator may not be looking at.
    private static func announceReturns(_ state: inout AppState, in groups: [String], before: [String: GroupAssessment]) {
        var back: [String] = []
        for group in groups {
            guard let new = state.assessments[group], before[group] != new else { continue }
            let old = before[group]
            for verdict in new.brokers where verdict.role == .slave || verdict.role == .master {
                let key = AppState.BrokerKey(group: group, broker: verdict.name)
                // Only a broker seen running before: one still starting when the dashboard did is not "back".
                let seenBefore = !state.brokersSeenRunning.insert(key).inserted
                guard seenBefore, old?.brokers.first(where: { $0.name == verdict.name })?.role == .down else { continue }
                back.append("\(verdict.name) is back, as \(verdict.role == .master ? "the master" : "a slave")")
            }
        }
        if !back.isEmpty { say(&state, back.joined(separator: "; ")) }
    }

    /// The reducer proper: one event applied, before the notices that compare states.
    private static func apply(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, key)
        case .lockSnapshot(let group, let snapshot):
            // Changed in place: a copy taken out and put back copied the group's brokers too.
            state.observations[group, default: GroupObservation(name: group)].lock = snapshot
            reassess(&state, group: group)
            advanceDrill(&state, group: group)
            return record(state, group: group)
        case .brokerObservation(let group, let broker):
            let config = state.config.group(named: group)
            merge(broker, into: &state.observations[group, default: GroupObservation(name: group)], config: config)
            reassess(&state, group: group)
            advanceDrill(&state, group: group)
            return record(state, group: group)
        case .roundComplete(let at):
            state.lastRoundMillis = at
            state.pollerFailure = nil
        case .pollerFailed(let reason):
            state.pollerFailure = reason
        case .tick(let now):
            state.nowMillis = now
            if let until = state.statusMessageUntilMillis, now >= until {
                state.statusMessage = nil
                state.statusMessageUntilMillis = nil
            }
            // Verdicts can depend on the clock (lock age, stale answers).
            for group in state.config.groups where state.observations[group.name] != nil {
                reassess(&state, group: group.name)
            }
        case .stopFinished(let group, let broker, let outcome, let sentAt):
            stopFinished(&state, group: group, broker: broker, outcome: outcome, sentAtMillis: sentAt)
            // The next takeover in this group is then recorded as caused by this stop.
            if outcome.wasSent { return [.noteStop(group: group, broker: broker, atMillis: sentAt)] }
        case .failovers(let group, let events):
            state.recentFailovers[group] = events
        case .timeline(let group, let history):
            state.timelines[group] = history
        case .hosts(let links):
            state.hosts = links
        case .notice(let text):
            say(&state, text)
        case .resize(let width, let height):
            state.width = max(0, width)
            state.height = max(0, height)
        }
        return []
    }

    /// Replaces a broker's observation, keeping configuration order.
    private static func merge(_ broker: BrokerObservation, into observation: inout GroupObservation, config: GroupConfig?) {
        if let index = observation.brokers.firstIndex(where: { $0.name == broker.name }) {
            observation.brokers[index] = broker
        } else {
            observation.brokers.append(broker)
            if let order = config?.brokers.map(\.name) {
                observation.brokers.sort { (order.firstIndex(of: $0.name) ?? .max) < (order.firstIndex(of: $1.name) ?? .max) }
            }
        }
    }

    /// Every fresh look at a group goes to the history, with the verdict it led to.
    private static func record(_ state: AppState, group: String) -> [Effect] {
        guard let observation = state.observations[group], let assessment = state.assessments[group] else { return [] }
        return [.recordObservation(observation, assessment)]
    }

    private static func reassess(_ state: inout AppState, group name: String) {
        guard let group = state.config.group(named: name), let observation = state.observations[name] else { return }
        state.assessments[name] = GroupAssessor.assess(group: group, observation: observation, nowMillis: state.nowMillis)
    }

    private static func say(_ state: inout AppState, _ message: String) {
        state.statusMessage = message
        state.statusMessageUntilMillis = state.nowMillis + AppState.messageMillis
    }

    // MARK: Keys

    private static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if state.stopDialog != nil { return dialogKey(&state, key) }
        if state.isEditingFilter { return editFilter(&state, key) }
        if key == .redraw { return [.repaintAll] }
        switch state.view {
        case .help(let returnTo):
            switch key {
            case .character("q"): return [.quit]
            case .escape, .backspace, .enter, .character("?"), .character("h"): state.view = returnTo
            default: break
            }
            return []
        case .overview:
            return overviewKey(&state, key)
        case .group(let name):
            return groupKey(&state, key, group: name)
        }
    }

    /// Keys that mean the same everywhere outside help and filter editing; nil when not one of them.
    private static func commonKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
        switch key {
        case .character("q"):
            return [.quit]
        case .character("?"):
            state.view = .help(returnTo: state.view)
            return []
        case .character("r"):
            say(&state, "polling now")
            return [.pollNow]
        case .character("/"):
            state.isEditingFilter = true
            return []
        case .character("t"):
            state.timelineWindow = state.timelineWindow.next
            say(&state, "timeline: \(state.timelineWindow.label)")
            return []
        default:
            return nil
        }
    }

    private static func overviewKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if let effects = commonKey(&state, key) { return effects }
        let count = state.visibleGroups.count
        if state.overviewDetailFocused {
            if let group = state.currentGroup, let step = movingStep(state, key) {
                scroll(&state, .overview, by: step, group: group)
                return []
            }
            switch key {
            case .tab, .backTab, .escape, .backspace:
                // Back to the list, where the moving keys select a group again.
                state.overviewDetailFocused = false
                return []
            default:
                break
            }
        }
        let selectedBefore = state.currentGroup?.name
        defer {
            // Another group's panels start at its first alert.
            if state.currentGroup?.name != selectedBefore { state.scroll[.overview] = nil }
        }
        switch key {
        case .up, .character("k"): state.selectedGroup = clamp(state.selectedGroup - 1, count)
        case .down, .character("j"): state.selectedGroup = clamp(state.selectedGroup + 1, count)
        case .pageUp: state.selectedGroup = clamp(state.selectedGroup - pageRows(state), count)
        case .pageDown: state.selectedGroup = clamp(state.selectedGroup + pageRows(state), count)
        case .wheelUp: state.selectedGroup = clamp(state.selectedGroup - wheelRows, count)
        case .wheelDown: state.selectedGroup = clamp(state.selectedGroup + wheelRows, count)
        case .home, .character("g"): state.selectedGroup = 0
        case .end, .character("G"): state.selectedGroup = clamp(count - 1, count)
        case .enter, .right, .character("l"):
            if let group = state.currentGroup {
                state.view = .group(group.name)
                state.selectedBroker = 0
                state.focus = .brokers
                state.scroll = [:]
                state.overviewDetailFocused = false
            }
        case .escape, .backspace:
            if !state.filter.isEmpty {
                state.filter = ""
                say(&state, "filter cleared")
            }
        case .character("s"):
            say(&state, "open a group (Enter) and select a broker to stop it")
        case .tab, .backTab:
            // To the selected group's alerts below the list, when there is one to show.
            if state.currentGroup != nil { state.overviewDetailFocused = true }
        default:
            break
        }
        return []
    }

    private static func groupKey(_ state: inout AppState, _ key: Key, group name: String) -> [Effect] {
        if let effects = commonKey(&state, key) { return effects }
        guard let group = state.config.group(named: name) else {
            state.view = .overview
            return []
        }
        let count = state.visibleBrokers(of: group).count
        // Moving keys move what the focused panel shows: the alerts and the history scroll,
        // everywhere else the broker selection moves (and the broker table scrolls with it).
        if let step = movingStep(state, key) {
            if let panel = scrollable(state.focus) {
                scroll(&state, panel, by: step, group: group)
            } else {
                state.selectedBroker = clamp(state.selectedBroker + step, count)
            }
            return []
        }
        switch key {
        case .tab: state.focus = state.focus.next
        case .backTab: state.focus = state.focus.previous
        case .escape, .backspace, .left, .character("h"):
            state.view = .overview
            // The overview's alerts start at their first (its Tab scrolls them afresh).
            state.scroll = [:]
        case .character("s"):
            openStopDialog(&state, group: group)
        default:
            break
        }
        return []
    }

    /// What the status line says when the filter is full.
    static let filterFullMessage = "the filter takes at most \(AppState.filterLimit) characters: the rest was dropped"

    private static func editFilter(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .enter, .tab:
            state.isEditingFilter = false
        case .escape:
            state.isEditingFilter = false
            state.filter = ""
        case .backspace:
            if state.filter.isEmpty { state.isEditingFilter = false } else { state.filter.removeLast() }
        case .character(let c):
            // Capped like the stop dialog: a pasted blob costs a bounded filter, not a freeze.
            if state.filter.unicodeScalars.count < AppState.filterLimit {
                state.filter.append(c)
            } else if state.statusMessage != filterFullMessage {
                say(&state, filterFullMessage)
            }
        default:
            break
        }
        // The lists shrink as the filter grows: keep selections inside them.
        state.selectedGroup = clamp(state.selectedGroup, state.visibleGroups.count)
        if let group = state.currentGroup { state.selectedBroker = clamp(state.selectedBroker, state.visibleBrokers(of: group).count) }
        return []
    }

    // MARK: Stop action and drills

    private static func openStopDialog(_ state: inout AppState, group: GroupConfig) {
        guard let broker = state.currentBroker else {
            say(&state, "no broker selected")
            return
        }
        guard !state.isReadOnly else {
            say(&state, "read-only dashboard: actions are disabled")
            return
        }
        let plan = StopPlan.make(
            group: group, broker: broker, assessment: state.assessments[group.name], lock: state.observations[group.name]?.lock)
        state.stopDialog = StopDialog(plan: plan)
    }

    private static func dialogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var dialog = state.stopDialog else { return [] }
        switch dialog.phase {
        case .finished:
            // Any key closes a finished dialog; the outcome stays in the status line.
            state.stopDialog = nil
            return []
        case .sending:
            // The request is out; Esc only hides the dialog, the outcome still arrives.
            if key == .escape { state.stopDialog = nil }
            return []
        case .confirming:
            break
        }
        switch key {
        case .escape:
            state.stopDialog = nil
            say(&state, "stop cancelled")
            return []
        case .backspace:
            if !dialog.typed.isEmpty { dialog.typed.removeLast() }
            dialog.hint = nil
        case .enter:
            guard dialog.isConfirmed else {
                dialog.hint = "type \(dialog.plan.broker) exactly to confirm, or Esc to cancel"
                state.stopDialog = dialog
                return []
            }
            dialog.phase = .sending
            state.stopDialog = dialog
            return [.stopBroker(group: dialog.plan.group, broker: dialog.plan.broker)]
        case .character(let c):
            if dialog.typed.count < 64 { dialog.typed.append(c) }
            dialog.hint = nil
        default:
            break
        }
        state.stopDialog = dialog
        return []
    }

    private static func stopFinished(_ state: inout AppState, group: String, broker: String, outcome: StopOutcome, sentAtMillis: Int64) {
        var plan: StopPlan?
        if var dialog = state.stopDialog, dialog.plan.group == group, dialog.plan.broker == broker {
            plan = dialog.plan
            dialog.phase = .finished(outcome)
            state.stopDialog = dialog
        }
        say(&state, "stop \(broker): \(outcome.word) (\(outcome.detail))")
        // A drill starts when the master was stopped: as planned, or as the probes still say.
        let wasMaster = plan.map { $0.role == .master } ?? (state.assessments[group]?.master == broker)
        guard outcome.wasSent, wasMaster, let assessment = state.assessments[group],
              let config = state.config.group(named: group) else { return }
        var drill = DrillTimeline(
            group: group, oldMaster: broker,
            oldAcquiredAtMillis: plan?.lockAcquiredAtMillis ?? state.observations[group]?.lock?.acquiredAtMillis,
            stopSentAtMillis: sentAtMillis, expectedWorstCaseFailoverMillis: config.expectedWorstCaseFailoverMillis)
        if let observation = state.observations[group] { drill.observe(observation, assessment: assessment, nowMillis: state.nowMillis) }
        state.drills[group] = drill
    }

    /// Feeds a group's fresh observations to its running drill.
    private static func advanceDrill(_ state: inout AppState, group: String) {
        guard var drill = state.drills[group], !drill.verdict(nowMillis: state.nowMillis).isFinal,
              let observation = state.observations[group], let assessment = state.assessments[group] else { return }
        drill.observe(observation, assessment: assessment, nowMillis: state.nowMillis)
        state.drills[group] = drill
    }

    /// Rows a page key moves: about a third of the terminal, what a panel of the group view shows.
    private static func pageRows(_ state: AppState) -> Int { max(3, state.height / 3) }

    /// How far a moving key moves (rows; Home and End by half of Int's range), nil for other keys.
    private static func movingStep(_ state: AppState, _ key: Key) -> Int? {
        switch key {
        case .up, .character("k"): -1
        case .down, .character("j"): 1
        case .pageUp: -pageRows(state)
        case .pageDown: pageRows(state)
        case .wheelUp: -wheelRows
        case .wheelDown: wheelRows
        case .home, .character("g"): Int.min / 2
        case .end, .character("G"): Int.max / 2
        default: nil
        }
    }

    /// Scrolls one of the group's panels by `step`, kept between its top and its last alert or row.
    private static func scroll(_ state: inout AppState, _ panel: ScrollablePanel, by step: Int, group: GroupConfig) {
        let limit = scrollLimit(state, panel: panel, group: group)
        let current = min(state.scroll[panel] ?? 0, limit)
        // The alerts scroll by whole alerts, the overview by whole panels: a page is one.
        let by = panel != .history && abs(step) > 1 && abs(step) < Int.max / 4 ? step.signum() : step
        // No overflow: Home and End step by half of Int's range from a small index.
        state.scroll[panel] = min(max(0, current + by), limit)
    }

    /// Rows one notch of the mouse wheel moves, as terminals scroll text.
    private static let wheelRows = 3

    /// The scroll position a focused panel keeps, nil for panels that move a selection instead.
    private static func scrollable(_ panel: GroupPanel) -> ScrollablePanel? {
        switch panel {
        case .alerts: .alerts
        case .history: .history
        case .brokers, .lock, .keepAlive: nil
        }
    }

    /// How far a panel can scroll: to its last alert, or its last history row.
    private static func scrollLimit(_ state: AppState, panel: ScrollablePanel, group: GroupConfig) -> Int {
        switch panel {
        case .alerts: max(0, (state.assessments[group.name]?.alerts.count ?? 0) - 1)
        case .history: max(0, (state.recentFailovers[group.name]?.count ?? 0) - 1)
        case .overview: ScrollablePanel.overviewStops(alerts: state.assessments[group.name]?.alerts.count ?? 0) - 1
        }
    }

    /// Keeps an index inside 0..<count (0 for an empty list).
    private static func clamp(_ index: Int, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        return min(max(0, index), count - 1)
    }
}
