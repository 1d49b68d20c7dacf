import AMQTopScreen
import AMQTopTerminal

/// Something that shows the dashboard's frames and yields what the operator and the terminal do.
///
/// The curses `TerminalSession` is one (see its adapter); a test passes a fake that records
/// frames and sends keys, so the loop is tested without a terminal.
public protocol DashboardTerminal: Sendable {
    /// Keys, resizes, signals and hangups, in the order they happened.
    var events: AsyncStream<TerminalEvent> { get }
    /// The size when the dashboard starts (later sizes arrive as `.resize` events).
    var width: Int { get }
    var height: Int { get }
    /// Box drawing or ASCII.
    var glyphs: Glyphs { get }
    /// Shows a whole frame (the terminal sends only what changed).
    func show(_ frame: Buffer)
    /// Clears the terminal and sends the whole next frame (Ctrl-L).
    func repaintAll()
}
