/// The semantic role of a cell: what it means, not what colour it is.
///
/// Views say "this is the master" or "this is a border"; the theme decides what that looks
/// like, so a monochrome or high-contrast theme is a real theme and not an afterthought.
public enum StyleRole: String, Equatable, Hashable, Sendable, CaseIterable, Codable {
    /// Ordinary text.
    case normal
    case master
    case slave
    case down
    case unknown
    case ok
    case warning
    case critical
    case header
    case border
    case selection
    case dim
    case dialog
}
