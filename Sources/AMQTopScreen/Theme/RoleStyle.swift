/// How a theme draws one semantic role: colours and attributes.
public struct RoleStyle: Equatable, Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: CellAttributes

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault, attributes: CellAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
