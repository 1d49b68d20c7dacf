/// The characters used for borders and truncation: UTF-8 box drawing or plain ASCII.
///
/// Under a non-UTF-8 locale box-drawing characters turn into garbage, so the terminal
/// picks `.ascii` there and every widget draws `+-|` and `~` instead.
public struct Glyphs: Equatable, Sendable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    /// Marks text cut short to fit.
    public var ellipsis: String
    /// Marks the selected row for readers without colour.
    public var selectionMarker: String
    /// Printed for a value not known yet.
    public var none: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        ellipsis: "…", selectionMarker: "▶", none: "—")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        ellipsis: "~", selectionMarker: ">", none: "-")
}
