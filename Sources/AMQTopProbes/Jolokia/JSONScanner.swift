/// A cursor over JSON bytes: the grammar, the checks and the conversions both JSON readers share.
///
/// `JSONReader` builds `JSONValue` trees with it; `BulkReadScanner` walks a bulk read's
/// answers with it, straight over the bytes received, and converts only the values it keeps.
/// One scanner, so the two cannot disagree on what is JSON, on a string's text or a number's
/// value, or on the error (and its byte offset) that bad bytes get. Strict RFC 8259: at most
/// `maxDepth` levels of nesting (never deeper recursion), UTF-8 only, no NaN or Infinity,
/// nothing after the document; no input traps.
///
/// The bytes are borrowed: a scanner is valid only inside the `withUnsafeBytes` that lent them.
struct JSONScanner {
    /// Why the bytes are not JSON, with the byte offset.
    struct Failure: Error, Equatable {
        var offset: Int
        var reason: String
    }

    /// What a value is, from its first byte.
    enum Kind {
        case object, array, string, number, `true`, `false`, null
    }

    /// A member name: where its bytes are when it has no escape (nearly always), else its text.
    enum Key {
        case raw(Range<Int>)
        case decoded(String)
    }

    /// A JSON number: an integer when it has no fraction or exponent and fits in 64 bits.
    enum Number {
        case integer(Int64)
        case double(Double)
    }

    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index: Int

    /// A scanner at `index` of `bytes` (a value's start, to read again a value scanned before).
    init(_ bytes: UnsafeRawBufferPointer, at index: Int = 0) {
        // Bytes from Data, ByteBuffer or [UInt8], read as the UInt8s they are.
        self.bytes = bytes.assumingMemoryBound(to: UInt8.self)
        self.index = index
    }

    func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    /// The end of a document: trailing non-space bytes are an error.
    mutating func end() throws(Failure) {
        skipSpace()
        guard index == bytes.count else { throw fail("trailing data") }
    }

    // MARK: - Values

    /// What the value starting here is; an error past `maxDepth`, at the end, or on a byte no value starts with.
    func kind(depth: Int) throws(Failure) -> Kind {
        guard depth < Self.maxDepth else { throw fail("nested too deeply") }
        guard let byte = current else { throw fail("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"): return .true
        case UInt8(ascii: "f"): return .false
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw fail("unexpected character")
        }
    }

    /// Checks `true`, `false` or `null` (whichever `kind` says starts here) and steps over it.
    mutating func literal(_ kind: Kind) throws(Failure) {
        switch kind {
        case .true: try expect("true")
        case .false: try expect("false")
        default: try expect("null")
        }
    }

    /// Checks the value starting here and steps over it, converting nothing and allocating nothing.
    mutating func skipValue(depth: Int) throws(Failure) {
        let kind = try kind(depth: depth)
        switch kind {
        case .object: try members(depth: depth) { (scanner: inout JSONScanner, _: Key) throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        case .array: try elements(depth: depth) { (scanner: inout JSONScanner, _: Int) throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        case .string: try skipString()
        case .number: _ = try numberText()
        case .true, .false, .null: try literal(kind)
        }
    }

    /// Walks the object starting here (at `{`, of nesting `depth`): `member` gets each name and
    /// must read its value (of nesting `depth + 1`).
    mutating func members(depth: Int, _ member: (inout JSONScanner, Key) throws(Failure) -> Void) throws(Failure) {
        index += 1
        skipSpace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key: Key
            if let raw = try rawString() { key = .raw(raw) } else { key = .decoded(try escapedString(start: index, collect: true)) }
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipSpace()
            try member(&self, key)
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    /// Walks the array starting here (at `[`, of nesting `depth`): `element` gets each one's
    /// position and must read it (of nesting `depth + 1`).
    mutating func elements(depth: Int, _ element: (inout JSONScanner, Int) throws(Failure) -> Void) throws(Failure) {
        index += 1
        skipSpace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            skipSpace()
            try element(&self, position)
            position += 1
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// Whether a member name is `name` (an ASCII name; the comparison is of the bytes, or of
    /// the decoded text when the name was written with escapes).
    func key(_ key: Key, is name: StaticString) -> Bool {
        switch key {
        case .raw(let range):
            guard range.count == name.utf8CodeUnitCount else { return false }
            let text = name.utf8Start
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != text[offset] { return false }
            return true
        case .decoded(let text):
            return text.utf8.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
    }

    /// A member name's text.
    func text(of key: Key) -> String {
        switch key {
        case .raw(let range): String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let text): text
        }
    }

    /// Whether the bytes in `range` are exactly `name`'s UTF-8.
    func bytes(_ range: Range<Int>, equal name: [UInt8]) -> Bool {
        guard range.count == name.count else { return false }
        for offset in 0..<name.count where bytes[range.lowerBound + offset] != name[offset] { return false }
        return true
    }

    // MARK: - Strings

    /// The string starting here (at its `"`), decoded.
    mutating func string() throws(Failure) -> String {
        let start = index
        if let raw = try rawString() {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[raw]), as: UTF8.self)
        }
        return try escapedString(start: start, collect: true)
    }

    /// Checks the string starting here and steps over it, without making its text.
    mutating func skipString() throws(Failure) {
        let start = index
        if try rawString() == nil { try escapedString(start: start, collect: false) }
    }

    /// The string starting here, when it has no escape: where its bytes (its valid UTF-8 text)
    /// are, and the scanner after it. With an escape (or a control character, or no end): nil,
    /// and the scanner where it was, for the careful way.
    mutating func rawString() throws(Failure) -> Range<Int>? {
        let start = index
        // Nearly every string in a Jolokia answer has no escape: found by looking for its end.
        // The bytes OR-ed together on the way: below 0x80, all ASCII, and nothing to validate.
        var end = start + 1
        var seen: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            guard byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 else { break }
            seen |= byte
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        // JSON text is UTF-8 (RFC 8259) and Jolokia's Java encoder never sends anything
        // else: invalid bytes mean the answer is not Jolokia's, so say so rather than
        // show replacement characters as a broker name.
        guard seen < 0x80 || Self.isUTF8(bytes, start + 1..<end) else { throw Failure(offset: start, reason: "invalid UTF-8 in string") }
        index = end + 1
        return start + 1..<end
    }

    /// Reads the string whose `"` is at `start`, byte by byte; its decoded text when `collect`.
    ///
    /// Not collecting, the text is never made, and it is valid UTF-8 exactly when each run of
    /// bytes between escapes is: an escape adds whole UTF-8 sequences, none of them beginning
    /// with a continuation byte, so it neither ends nor completes a run's sequence. The
    /// error is the same either way, and at the same place: UTF-8 is judged at the end.
    @discardableResult
    private mutating func escapedString(start: Int, collect: Bool) throws(Failure) -> String {
        index = start + 1
        var utf8: [UInt8] = []
        var valid = true
        var run = index
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                if collect {
                    guard let text = String(validating: utf8, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "invalid UTF-8 in string")
                    }
                    return text
                }
                guard valid, Self.isUTF8(bytes, run..<index - 1) else { throw Failure(offset: start, reason: "invalid UTF-8 in string") }
                return ""
            case UInt8(ascii: "\\"):
                if !collect, valid { valid = Self.isUTF8(bytes, run..<index - 1) }
                guard let escape = current else { throw fail("unterminated escape") }
                index += 1
                let simple: UInt8?
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = escape
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"):
                    simple = nil
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), current == UInt8(ascii: "\\"),
                        index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) }
                    }
                    // A lone surrogate (or a high one followed by another escape) is U+FFFD.
                    if collect { UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { utf8.append($0) } }
                default: throw fail("bad escape")
                }
                if collect, let simple { utf8.append(simple) }
                run = index
            case 0..<0x20:
                throw fail("control character in string")
            default:
                if collect { utf8.append(byte) }
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("bad \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Whether `range` of `bytes` is well-formed UTF-8 (the stdlib's validation, allocating nothing).
    private static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII, nearly always: no need to ask more.
        if !slice.contains(where: { $0 >= 0x80 }) { return true }
        return (try? UTF8Span(validating: slice.span)) != nil
    }

    // MARK: - Numbers

    /// The number starting here, converted.
    ///
    /// A valid number too large for a Double (400 digits) stays a number, of infinite size:
    /// the one attribute holding it is then of no usable value, while the rest of the answer
    /// (Slave included) is still read.
    mutating func number() throws(Failure) -> Number {
        let (text, isInteger) = try numberText()
        if isInteger, let value = Self.int64(bytes, text) { return .integer(value) }
        let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self)
        guard let value = Double(digits), value.isFinite else { return .double(bytes[text.lowerBound] == UInt8(ascii: "-") ? -.infinity : .infinity) }
        return .double(value)
    }

    /// Checks the number starting here and steps over it: where its text is, and whether it
    /// has neither fraction nor exponent.
    private mutating func numberText() throws(Failure) -> (Range<Int>, isInteger: Bool) {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw fail("bad number") }
        scan: while let byte = current {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): index += 1
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                isInteger = false
                index += 1
            default: break scan
            }
        }
        // Swift's Int64/Double initialisers accept "20." and "01", which JSON does not.
        guard Self.isJSONNumber(bytes, start..<index) else { throw Failure(offset: start, reason: "bad number") }
        return (start..<index, isInteger)
    }

    /// The value of `-?(0|[1-9][0-9]*)` when it fits in 64 bits (what `Int64(String)` gives).
    private static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ text: Range<Int>) -> Int64? {
        let negative = bytes[text.lowerBound] == UInt8(ascii: "-")
        // Summed negatively, so Int64.min fits.
        var value: Int64 = 0
        for index in (negative ? text.lowerBound + 1 : text.lowerBound)..<text.upperBound {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.subtractingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func isJSONNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ text: Range<Int>) -> Bool {
        var index = text.lowerBound
        func digits() -> Int {
            let begin = index
            while index < text.upperBound, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - begin
        }
        if index < text.upperBound, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < text.upperBound else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < text.upperBound, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < text.upperBound, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.upperBound, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == text.upperBound
    }

    // MARK: - Literals

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        let text = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard current == text[offset] else { throw fail("bad literal") }
            index += 1
        }
    }
}
