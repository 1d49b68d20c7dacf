/// A complete theme: a style for every semantic role.
public struct Theme: Equatable, Sendable {
    /// The theme's name (its file name without `.yaml`).
    public var name: String
    /// Where it came from, for messages ("embedded" for the built-in copy).
    public var source: String
    public var styles: [StyleRole: RoleStyle]

    public init(name: String, source: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.source = source
        self.styles = styles
    }

    /// The style of a role; the plain style if the theme somehow lacks it.
    public func style(_ role: StyleRole) -> RoleStyle { styles[role] ?? RoleStyle() }

    /// True when no role uses a colour (monochrome themes, or NO_COLOR).
    public var isMonochrome: Bool {
        styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault }
    }

    /// The same theme with every colour removed, attributes kept (for NO_COLOR and colourless terminals).
    public func withoutColours() -> Theme {
        Theme(name: name, source: source, styles: styles.mapValues { RoleStyle(attributes: $0.attributes) })
    }
}
