/// How a broker column sits in the dashboard's table: the screen's part of a `BrokerColumn`.
///
/// Plain numbers so the column can be declared in the core, beside its text and JSON forms;
/// the screen turns them into its `TableColumn`.
public struct ColumnLayout: Equatable, Sendable {
    /// Never narrower than this; a column that cannot get it is dropped.
    public var minWidth: Int
    /// Never wider than this (nil: as wide as its content).
    public var maxWidth: Int?
    /// Which columns go first when the table is too narrow: higher numbers are dropped first.
    public var priority: Int
    public var alignRight: Bool
    /// Takes any room left over after every column got its content width.
    public var flexible: Bool

    public init(minWidth: Int, maxWidth: Int? = nil, priority: Int = 0, alignRight: Bool = false, flexible: Bool = false) {
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.priority = priority
        self.alignRight = alignRight
        self.flexible = flexible
    }
}
