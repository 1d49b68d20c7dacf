/// One column of a `Table`: its title and how much room it wants.
public struct TableColumn: Equatable, Sendable {
    public var title: String
    /// Never narrower than this; a column that cannot get it is dropped.
    public var minWidth: Int
    /// Never wider than this (nil: as wide as its content).
    public var maxWidth: Int?
    /// Which columns go first when the table is too narrow: higher numbers are dropped first.
    public var priority: Int
    public var alignRight: Bool
    /// Takes any room left over after every column got its content width.
    public var flexible: Bool

    public init(_ title: String, minWidth: Int, maxWidth: Int? = nil, priority: Int = 0, alignRight: Bool = false, flexible: Bool = false) {
        self.title = title
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.priority = priority
        self.alignRight = alignRight
        self.flexible = flexible
    }
}
