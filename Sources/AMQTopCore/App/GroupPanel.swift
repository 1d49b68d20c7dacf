/// The panels of the group view, in the order Tab visits them.
public enum GroupPanel: String, Equatable, Hashable, Sendable, CaseIterable {
    case brokers
    case lock
    case keepAlive
    case alerts
    case history

    /// The panel after this one, wrapping around.
    public var next: GroupPanel {
        let all = GroupPanel.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }

    /// The panel before this one, wrapping around.
    public var previous: GroupPanel {
        let all = GroupPanel.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + all.count - 1) % all.count]
    }
}
