import AMQTopScreen
import AMQTopTerminal

/// The curses session as the loop's terminal: its start-up size and glyphs come from `info`.
extension TerminalSession: DashboardTerminal {
    public var width: Int { info.width }
    public var height: Int { info.height }
    public var glyphs: Glyphs { info.glyphs }
}
