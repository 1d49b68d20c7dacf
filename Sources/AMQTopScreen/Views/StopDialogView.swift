import AMQTopCore

/// The stop dialog: what will happen, a louder warning when it is risky, and the name to type.
public struct StopDialogView: Widget {
    public var dialog: StopDialog
    public var pidFile: String?
    public var context: ViewContext

    public init(dialog: StopDialog, pidFile: String?, context: ViewContext) {
        self.dialog = dialog
        self.pidFile = pidFile
        self.context = context
    }

    /// The dialog's lines, also used by tests.
    public var lines: [[Span]] {
        let plan = dialog.plan
        let label = CellStyle(.dim)
        var lines: [[Span]] = [
            [Span("group     ", label), Span(plan.group)],
            [Span("broker    ", label), Span(plan.broker, CellStyle(.normal, [.bold])), Span("  "), Span(Describe.roleLabel(plan.role), CellStyle(Describe.style(plan.role), [.bold]))],
            [Span("method    ", label), Span(plan.methodDescription(pidFile: pidFile))],
            [Span("expected  ", label), Span(plan.expectation)],
        ]
        if let warning = plan.warning {
            lines.append([Span("WARNING ", CellStyle(.critical, [.bold, .reverse])), Span(" " + warning, CellStyle(.critical, [.bold]))])
        }
        lines.append([])
        switch dialog.phase {
        case .confirming:
            lines.append([Span("Type "), Span(plan.broker, CellStyle(.normal, [.bold])), Span(" to confirm: "),
                          Span(dialog.typed, CellStyle(.selection, [.underline])), Span("_", CellStyle(.selection, [.bold]))])
            lines.append([Span(dialog.hint ?? "Enter stops it, Esc cancels", CellStyle(dialog.hint == nil ? .dim : .warning))])
        case .sending:
            lines.append([Span("sending the stop to \(plan.broker)\(context.glyphs.ellipsis)", CellStyle(.warning, [.bold]))])
            lines.append([Span("Esc hides this dialog; the result still arrives", CellStyle(.dim))])
        case .finished(let outcome):
            let style: StyleRole = outcome.wasSent ? .ok : .critical
            lines.append([Span("stop \(outcome.word): ", CellStyle(style, [.bold])), Span(outcome.detail)])
            lines.append([Span(outcome.wasSent && plan.role == .master ? "the drill timeline is in the group view; any key closes" : "any key closes", CellStyle(.dim))])
        }
        return lines
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let buttons: [String]
        switch dialog.phase {
        case .confirming: buttons = ["Esc cancel", dialog.isConfirmed ? "Enter STOP" : "Enter stop"]
        case .sending: buttons = []
        case .finished: buttons = ["close"]
        }
        Dialog(
            title: "Stop \(dialog.plan.broker)?", lines: lines, buttons: buttons,
            selectedButton: dialog.isConfirmed ? 1 : 0, glyphs: context.glyphs
        ).render(into: &buffer, area: area)
    }
}
