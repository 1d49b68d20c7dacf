/// Which screen the dashboard shows.
public enum AppView: Equatable, Hashable, Sendable {
    /// One line per group.
    case overview
    /// One group's brokers, lock, keep-alive, alerts and history.
    case group(String)
    /// Every key; `returnTo` is where Esc goes back to.
    indirect case help(returnTo: AppView)

    /// The group shown, if this is a group view.
    public var groupName: String? {
        if case .group(let name) = self { return name }
        return nil
    }
}
