import AMQTopCore

/// One line of a tenure timeline: a column per slice of the window, each a broker's letter
/// in its colour or a mark (failover by cause, gap without master, split brain).
///
/// The letters and marks carry the meaning on their own, so the strip reads the same
/// without colour (monochrome theme, `NO_COLOR`) and pasted as text.
public struct TimelineStrip: Widget, Equatable, Sendable {
    public var timeline: TenureTimeline

    public init(timeline: TenureTimeline) { self.timeline = timeline }

    /// The colours brokers take in turn: A, B, C... so neighbours differ.
    static let brokerStyles: [CellStyle] = [
        CellStyle(.master), CellStyle(.slave), CellStyle(.unknown), CellStyle(.master, [.bold, .underline]),
        CellStyle(.slave, [.bold, .underline]), CellStyle(.unknown, [.bold, .underline]),
    ]

    /// The style a column is drawn in.
    public static func style(_ column: TimelineColumn) -> CellStyle {
        switch column {
        case .notWatched: CellStyle(.dim)
        case .master(let index): brokerStyles[index % brokerStyles.count]
        case .noMaster: CellStyle(.critical)
        case .failover(let cause): CellStyle(cause == .stop ? .warning : .critical, [.bold])
        case .splitBrain: CellStyle(.critical, [.bold, .reverse])
        }
    }

    /// The strip's spans for `width` columns (neighbouring columns of one style share a span).
    public func spans(width: Int) -> [Span] {
        let letters = timeline.letters
        var spans: [Span] = []
        for column in timeline.columns(count: width) {
            let text = column.character(letters: letters)
            let style = Self.style(column)
            if let last = spans.last, last.style == style {
                spans[spans.count - 1].text += text
            } else {
                spans.append(Span(text, style))
            }
        }
        return spans
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        var x = area.x
        for span in spans(width: area.width) {
            x = buffer.write(span.text, x: x, y: area.y, style: span.style, clip: area)
        }
    }
}
