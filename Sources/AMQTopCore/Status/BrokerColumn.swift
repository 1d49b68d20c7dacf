/// One field of a broker, declared once for the dashboard's table, `status` text and `--json`.
///
/// The declarations and their order are in `BrokerColumns.swift` (`BrokerColumn.tableOrder` and
/// `BrokerColumn.jsonOrder`); the three outputs only walk those lists. The screen draws a column's
/// `text` as it is unless it styles that column itself (role, endpoint, OpenWire, evidence).
public struct BrokerColumn: Sendable {
    /// The `--json` key; also what identifies the column.
    public let key: String
    /// The table heading; nil for a field shown in `--json` only.
    public let header: String?
    /// Where it sits in the dashboard's table; nil when the screen does not show it.
    public let layout: ColumnLayout?
    /// Whether `amqtop status` prints it in its table.
    public let inText: Bool
    /// The table cell; nil when there is no value (text prints "-", the screen its "none" glyph).
    public let text: @Sendable (BrokerRow) -> String?
    /// The `--json` value (`null` where unknown).
    public let json: @Sendable (BrokerRow) -> OrderedJSON

    public init(
        key: String, header: String? = nil, layout: ColumnLayout? = nil, inText: Bool = true,
        text: @escaping @Sendable (BrokerRow) -> String? = { _ in nil },
        json: @escaping @Sendable (BrokerRow) -> OrderedJSON
    ) {
        self.key = key
        self.header = header
        self.layout = layout
        self.inText = inText
        self.text = text
        self.json = json
    }

    /// A column showing one attribute of the latest Jolokia poll (`JolokiaObservation.attributes`).
    ///
    /// `text` formats a value that was read; an unread one (no poll yet, or the attribute
    /// failed) is "no value" in the tables and `null` in `--json`.
    public init<Value: Sendable>(
        key: String, header: String? = nil, layout: ColumnLayout? = nil, inText: Bool = true,
        attribute: KeyPath<JolokiaObservation, Value?> & Sendable,
        text: @escaping @Sendable (Value) -> String? = { _ in nil },
        json: @escaping @Sendable (Value?) -> OrderedJSON
    ) {
        self.init(
            key: key, header: header, layout: layout, inText: inText,
            text: { row in row.jolokia?[keyPath: attribute].flatMap(text) },
            json: { row in json(row.jolokia?[keyPath: attribute]) })
    }

    /// The `status` table's columns.
    public static var textColumns: [BrokerColumn] { tableOrder.filter(\.inText) }

    /// The `--json` object of one broker: every column of `jsonOrder`, in order.
    public static func jsonObject(_ row: BrokerRow) -> OrderedJSON {
        .object(jsonOrder.map { ($0.key, $0.json(row)) })
    }
}
