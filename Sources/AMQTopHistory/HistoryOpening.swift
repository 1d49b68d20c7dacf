/// The outcome of opening the history for a dashboard: a store when one could be had, and
/// what the operator should be told.
public struct HistoryOpening: Sendable {
    /// The store, or nil when history is off for this run (monitoring goes on without it).
    public var store: HistoryStore?
    /// One line each: a file set aside, history turned off, and why.
    public var notices: [String]
    /// Where a corrupt or unreadable file was moved, when it was.
    public var setAsidePath: String?

    public init(store: HistoryStore?, notices: [String], setAsidePath: String? = nil) {
        self.store = store
        self.notices = notices
        self.setAsidePath = setAsidePath
    }
}
