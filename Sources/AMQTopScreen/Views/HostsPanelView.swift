import AMQTopCore

/// The broker hosts' SSH connections: one line per host with its state, round trip and error.
///
/// A host that cannot be reached makes its brokers `unknown`; this panel says why (auth
/// failed, host key mismatch, unreachable, timed out) so the operator knows what to fix.
/// The error is ssh's own text, i.e. from outside: it is folded onto one line here, and the
/// buffer drops any control character, so nothing from it reaches the terminal raw.
public struct HostsPanelView: Widget {
    public var hosts: [HostLink]
    public var context: ViewContext

    public init(hosts: [HostLink], context: ViewContext) {
        self.hosts = hosts
        self.context = context
    }

    /// The rows this panel wants: a border, the column titles and one line per host.
    public static func height(for hosts: [HostLink]) -> Int { hosts.isEmpty ? 0 : hosts.count + 3 }

    static let columns: [TableColumn] = [
        TableColumn("HOST", minWidth: 6, maxWidth: 20, priority: 0),
        TableColumn("STATE", minWidth: 10, maxWidth: 18, priority: 0),
        TableColumn("RTT", minWidth: 6, priority: 2, alignRight: true),
        TableColumn("SSH", minWidth: 8, maxWidth: 30, priority: 3),
        TableColumn("ERROR", minWidth: 10, priority: 1, flexible: true),
    ]

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty, !hosts.isEmpty else { return }
        let up = hosts.filter(\.isConnected).count
        Panel(title: "Hosts (\(up)/\(hosts.count) connected)", glyphs: context.glyphs).render(into: &buffer, area: area)
        let none = context.glyphs.none
        let rows: [[Span]] = hosts.map { host in
            [
                Span(host.name),
                Span(host.stateLabel, CellStyle(Self.style(host), host.isConnected ? [] : [.bold])),
                Span(host.roundTripMillis.map { "\($0) ms" } ?? none, CellStyle(host.roundTripMillis == nil ? .dim : .normal)),
                Span(host.destination, CellStyle(.dim)),
                Span(host.error.map(Self.oneLine) ?? none, CellStyle(host.error == nil ? .dim : .warning)),
            ]
        }
        Table(columns: Self.columns, rows: rows, selected: nil, glyphs: context.glyphs).render(into: &buffer, area: Panel.inner(area))
    }

    /// The style of a host's state: connected is fine, connecting is pending, anything else a fault.
    static func style(_ host: HostLink) -> StyleRole {
        switch host.state {
        case "connected": .ok
        case "connecting", "closed": .unknown
        default: .critical
        }
    }

    /// Text from outside on one line: terminal escape sequences (ESC, then `[` parameters up
    /// to a final letter, or one character) and other control characters removed, every run
    /// of whitespace one space.
    static func oneLine(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar.value == 0x1B {
                // Skip the sequence: ESC [ params final (0x40-0x7E), or ESC and one character.
                guard let next = scalars.next(), next == "[" else { continue }
                while let part = scalars.next(), !(0x40...0x7E).contains(part.value) {}
                continue
            }
            if scalar.value == 0x0A || scalar.value == 0x0D || scalar.value == 0x09 {
                kept.append(" ")
            } else if scalar.value >= 0x20, !(0x7F..<0xA0).contains(scalar.value) {
                kept.append(scalar)
            }
        }
        return String(kept).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
