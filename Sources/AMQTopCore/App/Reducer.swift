/// The dashboard's only state update: an event in, the new state and the effects out.
///
/// Pure and synchronous: it never blocks, polls or draws. Keys, probe results and clock
/// ticks all pass through here, so a test can replay any sequence of them.
public enum Reducer {
    /// Applies one event to the state and returns what the runner must do.
    public static func reduce(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, key)
        case .lockSnapshot(let group, let snapshot):
            var observation = state.observations[group] ?? GroupObservation(name: group)
            observation.lock = snapshot
            state.observations[group] = observation
            reassess(&state, group: group)
        case .brokerObservation(let group, let broker):
            var observation = state.observations[group] ?? GroupObservation(name: group)
            merge(broker, into: &observation, config: state.config.group(named: group))
            state.observations[group] = observation
            reassess(&state, group: group)
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
        default:
            return nil
        }
    }

    private static func overviewKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if let effects = commonKey(&state, key) { return effects }
        let count = state.visibleGroups.count
        switch key {
        case .up, .character("k"): state.selectedGroup = clamp(state.selectedGroup - 1, count)
        case .down, .character("j"): state.selectedGroup = clamp(state.selectedGroup + 1, count)
        case .pageUp: state.selectedGroup = clamp(state.selectedGroup - 10, count)
        case .pageDown: state.selectedGroup = clamp(state.selectedGroup + 10, count)
        case .home, .character("g"): state.selectedGroup = 0
        case .end, .character("G"): state.selectedGroup = clamp(count - 1, count)
        case .enter, .right, .character("l"):
            if let group = state.currentGroup {
                state.view = .group(group.name)
                state.selectedBroker = 0
                state.focus = .brokers
            }
        case .escape, .backspace:
            if !state.filter.isEmpty {
                state.filter = ""
                say(&state, "filter cleared")
            }
        case .character("s"):
            say(&state, "open a group (Enter) and select a broker to stop it")
        case .tab, .backTab:
            break
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
        switch key {
        case .up, .character("k"): state.selectedBroker = clamp(state.selectedBroker - 1, count)
        case .down, .character("j"): state.selectedBroker = clamp(state.selectedBroker + 1, count)
        case .home, .character("g"): state.selectedBroker = 0
        case .end, .character("G"): state.selectedBroker = clamp(count - 1, count)
        case .tab: state.focus = state.focus.next
        case .backTab: state.focus = state.focus.previous
        case .escape, .backspace, .left, .character("h"):
            state.view = .overview
        case .character("s"):
            if let broker = state.currentBroker {
                say(&state, "stop action not available yet (\(broker.name))")
            } else {
                say(&state, "no broker selected")
            }
        default:
            break
        }
        return []
    }

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
            state.filter.append(c)
        default:
            break
        }
        // The lists shrink as the filter grows: keep selections inside them.
        state.selectedGroup = clamp(state.selectedGroup, state.visibleGroups.count)
        if let group = state.currentGroup { state.selectedBroker = clamp(state.selectedBroker, state.visibleBrokers(of: group).count) }
        return []
    }

    /// Keeps an index inside 0..<count (0 for an empty list).
    private static func clamp(_ index: Int, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        return min(max(0, index), count - 1)
    }
}
