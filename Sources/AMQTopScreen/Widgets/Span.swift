/// A piece of text in one style; a line is a list of spans.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String, _ style: CellStyle = .normal) {
        self.text = text
        self.style = style
    }

    public init(_ text: String, role: StyleRole, _ attributes: CellAttributes = []) {
        self.init(text, CellStyle(role, attributes))
    }
}
