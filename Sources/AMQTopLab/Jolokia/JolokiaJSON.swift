import Foundation

/// A JSON document as Jolokia sends and receives it: a Sendable value that answers can be built from,
/// compared and serialised without `Any`.
///
/// Kept apart from the probes' `JSONValue` and the core's `OrderedJSON` on purpose: the lab's
/// Jolokia is an independent fake, written from Jolokia's behaviour rather than from amqtop's
/// model of it, so the two sides cannot agree on a mistake by sharing code.
public enum JolokiaJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JolokiaJSON])
    case object([String: JolokiaJSON])

    /// The value under `key` when this is an object, otherwise nil.
    public subscript(key: String) -> JolokiaJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index exists, otherwise nil.
    public subscript(index: Int) -> JolokiaJSON? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer payload, if this is an integer.
    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// The boolean payload, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JolokiaJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JolokiaJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Compact JSON text with object keys sorted, so equal values serialise identically.
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number):
            out += number.isFinite ? String(number) : "null"
        case .string(let text): JolokiaJSON.writeString(text, into: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                JolokiaJSON.writeString(key, into: &out)
                out += ":"
                members[key]?.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "/": out += "\\/"  // json-simple (Jolokia 1.x) escapes slashes too
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text; nil when it is not valid JSON.
    public static func parse(_ text: String) -> JolokiaJSON? {
        var parser = JSONTextParser(bytes: Array(text.utf8))
        return parser.parseDocument()
    }

    /// Parses JSON bytes; nil when they are not valid JSON.
    public static func parse(_ data: Data) -> JolokiaJSON? {
        var parser = JSONTextParser(bytes: Array(data))
        return parser.parseDocument()
    }
}

extension JolokiaJSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
}
