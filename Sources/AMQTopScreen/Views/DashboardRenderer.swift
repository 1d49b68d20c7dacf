import AMQTopCore

/// Draws a whole frame from the state: header, the current view, the status bar.
///
/// Pure: the same state and context always give the same buffer, which is what the
/// snapshot tests compare and what the terminal diffs against the previous frame.
public enum DashboardRenderer {
    /// The smallest terminal the layout can use; below it a "too small" line is shown.
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    /// The frame for `state` at the state's terminal size.
    public static func render(_ state: AppState, context: ViewContext) -> Buffer {
        // An ASCII-only terminal (no UTF-8 locale) gets the ASCII glyphs: its cells hold ASCII only.
        var buffer = Buffer(width: state.width, height: state.height, asciiOnly: context.glyphs == .ascii)
        let area = buffer.area
        guard area.width >= minimumWidth, area.height >= minimumHeight else {
            let lines = ["terminal too small: \(area.width)x\(area.height)", "amqtop needs \(minimumWidth)x\(minimumHeight)", "q quits"]
            for (index, line) in lines.enumerated() {
                TextLine(line, CellStyle(.warning, index == 0 ? [.bold] : []), glyphs: context.glyphs).render(into: &buffer, area: area.row(index))
            }
            return buffer
        }
        let (header, rest) = area.splitTop(1)
        let (body, statusRow) = rest.splitBottom(1)
        HeaderView(state: state, context: context).render(into: &buffer, area: header)
        switch state.view {
        case .overview:
            OverviewView(state: state, context: context).render(into: &buffer, area: body)
        case .group(let name):
            if let group = state.config.group(named: name) {
                GroupView(state: state, context: context, group: group).render(into: &buffer, area: body)
            }
        case .help:
            HelpView(context: context).render(into: &buffer, area: body)
        }
        statusBar(state, context: context).render(into: &buffer, area: statusRow)
        if let dialog = state.stopDialog {
            let pidFile = state.config.group(named: dialog.plan.group)?.broker(named: dialog.plan.broker)?.pidFile
            StopDialogView(dialog: dialog, pidFile: pidFile, context: context).render(into: &buffer, area: body)
        }
        return buffer
    }

    /// The keys the footer names: only those that do something in this view and mode
    /// (no `s` on a read-only dashboard or with no broker to stop, no PgDn with nothing to scroll).
    static func hints(_ state: AppState) -> [(String, String)] {
        switch state.view {
        case .overview:
            var hints: [(String, String)] = []
            if state.overviewDetailFocused, state.currentGroup != nil {
                // What the keys do now; Enter still opens the group. Short, so `q quit` fits 80 columns.
                hints += [("Tab", "list"), ("PgDn", "scroll")]
            } else {
                if !state.visibleGroups.isEmpty { hints.append(("Enter", "open")) }
                if state.currentGroup != nil { hints.append(("Tab", "panels")) }
            }
            if !state.config.groups.isEmpty { hints += [("/", "filter"), ("t", "timeline")] }
            return hints + [("r", "poll"), ("?", "help"), ("q", "quit")]
        case .group:
            var hints: [(String, String)] = [("Esc", "back"), ("Tab", "panel")]
            switch state.focus {
            case .alerts, .history: hints.append(("PgDn", "scroll"))
            case .brokers, .lock, .keepAlive: break
            }
            if !state.isReadOnly, state.currentBroker != nil { hints.append(("s", "stop")) }
            return hints + [("t", "timeline"), ("r", "poll"), ("?", "help"), ("q", "quit")]
        case .help:
            return [("Esc", "back"), ("q", "quit")]
        }
    }

    /// Hints for the current view on the left; the filter being typed or the last message on the right.
    static func statusBar(_ state: AppState, context: ViewContext) -> StatusBar {
        let key = CellStyle(.header, [.bold])
        let text = CellStyle(.header)
        if state.isEditingFilter {
            return StatusBar(
                left: [Span("/", key), Span(state.filter, CellStyle(.selection, [.underline])), Span("_", CellStyle(.selection, [.bold]))],
                right: [Span("Enter keep  Esc clear ", text)], glyphs: context.glyphs)
        }
        var hints = Self.hints(state)
        // On a narrow terminal the least needed hints go first, so `q quit` always shows
        // (at 60 columns the overview's and the group view's footers were cut before it).
        let hintsWidth = { (hints: [(String, String)]) in hints.reduce(0) { $0 + DisplayWidth.of(" \($1.0) \($1.1) ") } }
        for dropped in [("Tab", "panels"), ("t", "timeline")] where hintsWidth(hints) > state.width {
            hints.removeAll { $0.0 == dropped.0 && $0.1 == dropped.1 }
        }
        let left = hints.flatMap { [Span(" \($0.0)", key), Span(" \($0.1) ", text)] }
        // A message is news; the first-run hint (demo) is what to try while there is none.
        let right = state.statusMessage.map { [Span(" \($0) ", CellStyle(.warning, [.bold, .reverse]))] }
            ?? state.firstRunHint.map { [Span(" \($0) ", CellStyle(.header, [.bold]))] } ?? []
        return StatusBar(left: left, right: right, glyphs: context.glyphs)
    }
}
