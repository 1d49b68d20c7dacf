import Foundation

/// Every key the dashboard answers, for the help screen and the status bar hints.
public enum KeyBindings {
    /// (keys, what they do), in the order the help screen lists them.
    public static let all: [(keys: String, action: String)] = [
        ("↑ ↓  j k", "move the selection"),
        ("PgUp PgDn  g G", "page / top / end of the focused list, alerts or history"),
        ("mouse wheel", "scroll the same, where the terminal reports it"),
        ("Enter  → l", "open the selected group"),
        ("Esc  Backspace  ← h", "go back (clears the filter on the overview)"),
        ("Tab  Shift-Tab", "next / previous panel (overview: scroll the group)"),
        ("/", "filter groups and brokers by name (Enter keeps, Esc clears)"),
        ("r", "poll every broker and lock file now"),
        ("s", "stop the selected broker (asks its name; not read-only)"),
        ("t", "timeline window: last hour, day or week"),
        ("Ctrl-L", "repaint the whole screen"),
        ("?", "this help (Esc goes back)"),
        ("q", "quit"),
    ]

    /// The same list with ASCII arrows, for terminals without UTF-8.
    public static func list(ascii: Bool) -> [(keys: String, action: String)] {
        guard ascii else { return all }
        return all.map { entry in
            (entry.keys.replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
                .replacingOccurrences(of: "→", with: "Right").replacingOccurrences(of: "←", with: "Left"), entry.action)
        }
    }
}
