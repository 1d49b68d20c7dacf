/// The panels whose content can be longer than their box, each with its own scroll position.
public enum ScrollablePanel: String, Equatable, Hashable, Sendable, CaseIterable {
    /// The group view's alerts (scrolled by whole alerts, so an alert never starts cut).
    case alerts
    /// The group view's failover history (scrolled by rows).
    case history
}
