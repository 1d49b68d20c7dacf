/// The panels whose content can be longer than their box, each with its own scroll position.
public enum ScrollablePanel: String, Equatable, Hashable, Sendable, CaseIterable {
    /// The group view's alerts (scrolled by whole alerts, so an alert never starts cut).
    case alerts
    /// The group view's failover history (scrolled by rows).
    case history
    /// The overview's selected group below the list, by stops: each of its alerts, then its
    /// brokers, its lock and keep-alive, its last failovers (`overviewStops(alerts:)`).
    case overview

    /// How many stops the overview's selected group has with `alerts` alerts: one per alert
    /// (one for the "no alerts" panel), then the brokers, the lock row and the history.
    public static func overviewStops(alerts: Int) -> Int { max(1, alerts) + 3 }
}
