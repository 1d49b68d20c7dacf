/// A small strict JSON parser from bytes to `JSONValue`, with a nesting limit.
///
/// Written out rather than built on `JSONDecoder`: decoding an untyped value through
/// `Decodable` costs about 2 ms per Jolokia answer in a debug build (one thrown error per
/// type tried), which at hundreds of brokers per second is most of a core. The grammar,
/// strings and numbers are `JSONScanner`'s, shared with the bulk read's `BulkReadScanner`
/// (which needs no tree); this builds the tree for the answers read whole (discovery, exec).
/// Never recurses deeper than `maxDepth`, never traps.
struct JSONReader {
    /// Why the bytes are not JSON, with the byte offset.
    typealias Failure = JSONScanner.Failure

    static let maxDepth = JSONScanner.maxDepth

    /// Parses a whole document; trailing non-space bytes are an error.
    static func parse<Bytes: Sequence>(_ input: Bytes) throws(Failure) -> JSONValue where Bytes.Element == UInt8 {
        let bytes = Array(input)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(Failure) -> JSONValue in try parse(raw) }
        }
        return try result.get()
    }

    /// Parses a whole document from borrowed bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var scanner = JSONScanner(bytes)
        scanner.skipSpace()
        let value = try value(&scanner, depth: 0)
        try scanner.end()
        return value
    }

    private static func value(_ scanner: inout JSONScanner, depth: Int) throws(Failure) -> JSONValue {
        let kind = try scanner.kind(depth: depth)
        switch kind {
        case .object:
            var members: [String: JSONValue] = [:]
            try scanner.members(depth: depth) { (scanner: inout JSONScanner, key: JSONScanner.Key) throws(Failure) in
                // A repeated name keeps its last value, as JSONSerialization and Jackson do.
                members[scanner.text(of: key)] = try value(&scanner, depth: depth + 1)
            }
            return .object(members)
        case .array:
            var items: [JSONValue] = []
            try scanner.elements(depth: depth) { (scanner: inout JSONScanner, _: Int) throws(Failure) in
                items.append(try value(&scanner, depth: depth + 1))
            }
            return .array(items)
        case .string:
            return .string(try scanner.string())
        case .number:
            switch try scanner.number() {
            case .integer(let value): return .integer(value)
            case .double(let value): return .number(value)
            }
        case .true, .false, .null:
            try scanner.literal(kind)
            return kind == .null ? .null : .bool(kind == .true)
        }
    }
}
