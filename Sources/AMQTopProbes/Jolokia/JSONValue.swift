/// A parsed JSON document, kept generic because Jolokia's `value` depends on the attribute.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number without fraction or exponent that fits in 64 bits (Jolokia's longs).
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        // Some JMX bridges render booleans as strings; accept the two exact spellings only.
        case .string("true"): true
        case .string("false"): false
        default: nil
        }
    }

    /// An integer value; whole doubles in range are accepted, fractions are not.
    public var int64Value: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .number(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9.2e18 else { return nil }
            return Int64(value)
        default:
            return nil
        }
    }
}
