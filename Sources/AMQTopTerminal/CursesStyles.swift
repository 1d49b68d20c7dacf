import AMQTopScreen
import CNCursesW

/// The theme turned into curses colour pairs and attributes: one pair per semantic role.
struct CursesStyles {
    /// Colours the terminal has (0 when colour is off).
    let colors: Int
    let theme: Theme

    /// The pair number of a role (0, the terminal's default, without colour).
    func pair(_ role: StyleRole) -> Int16 {
        guard colors >= 8, let index = StyleRole.allCases.firstIndex(of: role) else { return 0 }
        return Int16(index + 1)
    }

    /// Defines every role's pair; call once per theme after `start_color`.
    func install() {
        guard colors >= 8 else { return }
        for (index, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(role)
            init_pair(Int16(index + 1), Int16(style.foreground.cursesIndex(colors: colors)), Int16(style.background.cursesIndex(colors: colors)))
        }
    }

    /// The curses attributes of a cell: its role's theme attributes plus its own.
    func attributes(_ style: CellStyle) -> attr_t {
        let all = theme.style(style.role).attributes.union(style.attributes)
        var result = amqtop_a_normal()
        if all.contains(.bold) { result |= amqtop_a_bold() }
        if all.contains(.reverse) { result |= amqtop_a_reverse() }
        if all.contains(.underline) { result |= amqtop_a_underline() }
        if all.contains(.dim) { result |= amqtop_a_dim() }
        return result
    }
}
