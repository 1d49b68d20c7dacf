/// A key press, decoded from the terminal into what the dashboard cares about.
public enum Key: Equatable, Hashable, Sendable {
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case enter
    case escape
    case backspace
    case tab
    case backTab
    /// A printable character (letters, digits, `/`, `?`, ...).
    case character(Character)
    /// Ctrl-L: repaint everything (after line noise over a bad SSH link).
    case redraw
    /// The mouse wheel turned up (towards the top of a list), where the terminal reports it.
    case wheelUp
    /// The mouse wheel turned down.
    case wheelDown
}
