import Foundation

/// The structure of a JSON document without its incidental values: keys, JSON types, and the
/// few values that are part of the protocol (`status`, `error_type`, a request's `type`).
///
/// Used to compare a lab broker's Jolokia answers with a real ActiveMQ broker's: names,
/// timestamps, ids and ports differ between any two brokers, the shape must not.
indirect enum JSONShape: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool
    case int
    case double
    case string
    /// A value kept because the protocol defines it (e.g. `status: 500`).
    case literal(String)
    /// The distinct shapes of the elements, sorted by their description.
    case array([JSONShape])
    /// Keys (MBean names replaced by `<mbean>`) and the shape of each value.
    case object([String: JSONShape])

    /// Keys whose values are compared as they are, not only by type.
    static let literalKeys: Set<String> = ["status", "error_type", "type"]

    /// Parses `data` as JSON and reduces it to its shape.
    static func of(_ data: Data) throws -> JSONShape {
        try JSONDecoder().decode(JSONShape.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var shapes: [JSONShape] = []
            while !list.isAtEnd {
                shapes.append(try list.decode(JSONShape.self))
            }
            self = .array(Self.distinct(shapes))
            return
        }
        if let members = try? decoder.container(keyedBy: AnyKey.self) {
            var shapes: [String: JSONShape] = [:]
            for key in members.allKeys {
                let value = try members.decode(JSONShape.self, forKey: key)
                if Self.literalKeys.contains(key.stringValue), let literal = try? members.decode(Literal.self, forKey: key) {
                    shapes[Self.normalized(key.stringValue)] = .literal(literal.text)
                } else {
                    shapes[Self.normalized(key.stringValue)] = value
                }
            }
            self = .object(shapes)
            return
        }
        let single = try decoder.singleValueContainer()
        // Bool first: the decoder refuses a number as a Bool, and an integer as a Double is
        // accepted, so the order tells the JSON types apart.
        if single.decodeNil() {
            self = .null
        } else if (try? single.decode(Bool.self)) != nil {
            self = .bool
        } else if (try? single.decode(Int64.self)) != nil {
            self = .int
        } else if (try? single.decode(Double.self)) != nil {
            self = .double
        } else {
            _ = try single.decode(String.self)
            self = .string
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .literal(let text): "=\(text)"
        case .array(let elements): "[" + elements.map(\.description).joined(separator: "|") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { "\($0): \(members[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }

    /// Where two shapes differ, as `path: lab vs real` lines (empty when they match).
    static func differences(_ lab: JSONShape, _ real: JSONShape, at path: String = "$") -> [String] {
        switch (lab, real) {
        case (.object(let left), .object(let right)):
            var lines: [String] = []
            for key in Set(left.keys).union(right.keys).sorted() {
                switch (left[key], right[key]) {
                case (let l?, let r?): lines += differences(l, r, at: "\(path).\(key)")
                case (nil, let r?): lines.append("\(path).\(key): missing in lab (real: \(r))")
                case (let l?, nil): lines.append("\(path).\(key): only in lab (\(l))")
                case (nil, nil): break
                }
            }
            return lines
        default:
            return lab == real ? [] : ["\(path): lab \(lab) vs real \(real)"]
        }
    }

    private static func normalized(_ key: String) -> String {
        key.hasPrefix("org.apache.activemq:") ? "<mbean>" : key
    }

    private static func distinct(_ shapes: [JSONShape]) -> [JSONShape] {
        var seen: [String: JSONShape] = [:]
        for shape in shapes { seen[shape.description] = shape }
        return seen.keys.sorted().compactMap { seen[$0] }
    }

    /// Any key of a JSON object.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A protocol value as text: a number or a string.
    private struct Literal: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let number = try? single.decode(Int64.self) {
                text = String(number)
            } else {
                text = try single.decode(String.self)
            }
        }
    }
}
