/// The first-run hint: what to try on a demo group, until the operator has stopped a broker.
extension AppState {
    /// The hint for the status line in the current view; nil when off, in help or behind the stop dialog.
    ///
    /// `s` stops the selected broker, so the hint names the way to the master from where the
    /// operator is: the group to open, the row to select, then the key.
    public var firstRunHint: String? {
        guard showsFirstRunHint, stopDialog == nil, !isReadOnly else { return nil }
        let action = "s stops the master: watch the failover"
        switch view {
        case .help:
            return nil
        case .overview:
            return "Enter, then \(action)"
        case .group:
            guard let group = currentGroup, let master = assessments[group.name]?.master else { return nil }
            if currentBroker?.name == master { return action }
            return "select \(master) (j/k), then \(action)"
        }
    }
}
