import AMQTopCore

/// Reads a bulk read's answer straight from the bytes received: no tree, no copy of the body.
///
/// Walks the array of answers with `JSONScanner`, notes where each answer's `request`'s
/// `attribute`, `value`, `status`, `error` and `error_type` are, steps over everything else
/// (checked, never converted), and converts only what the observation keeps, once the answer
/// is read whole. The result is exactly `JSONReader`'s tree read by the rules of
/// `JolokiaResponseParser.observation` (the tests hold the two side by side): the whole body
/// must be JSON before anything counts, a repeated member name counts by its last value, a
/// non-object answer ends the reading with what came before it kept.
/// Costs per answer: the strings and maps kept, and nothing for what is skipped.
struct BulkReadScanner {
    /// Where one answer's members start (byte offsets), the last of each name.
    private struct Answer {
        /// The `request` member's `attribute`, when the last `request` is an object with a last `attribute` that is a string.
        var attribute: Int?
        var value: Int?
        var status: Int?
        var error: Int?
        var errorType: Int?
    }

    /// An attribute as the answers name it: its declaration when known.
    private struct Named {
        var name: String
        var declared: BrokerAttribute?
    }

    private let body: UnsafeRawBufferPointer
    private let attributes: [String]
    private var observation: JolokiaObservation
    private var readCount = 0
    private var firstError: EndpointError?
    private var firstMismatch: String?
    private var roleMismatch: String?

    /// The declared attributes' names as bytes, to know an answer's attribute without making its string.
    private static let declaredNames: [(utf8: [UInt8], attribute: BrokerAttribute)] =
        JolokiaObservation.attributes.map { (Array($0.name.utf8), $0) }

    /// The observation from a bulk read's body (see `JolokiaResponseParser.observation`).
    static func observation(_ body: UnsafeRawBufferPointer, attributes: [String], into observation: JolokiaObservation) -> JolokiaObservation {
        var reader = BulkReadScanner(body: body, attributes: attributes, observation: observation)
        do {
            return try reader.read()
        } catch {
            var failed = observation
            failed.error = .notJSON("\(error.reason) at byte \(error.offset); body starts with \(JolokiaResponseParser.snippet(body))")
            return failed
        }
    }

    private init(body: UnsafeRawBufferPointer, attributes: [String], observation: JolokiaObservation) {
        self.body = body
        self.attributes = attributes
        self.observation = observation
    }

    private mutating func read() throws(JSONScanner.Failure) -> JolokiaObservation {
        var scanner = JSONScanner(body)
        scanner.skipSpace()
        switch try scanner.kind(depth: 0) {
        case .array:
            return try readAnswers(&scanner)
        case .object:
            // A whole request that failed (a bad MBean name, no permission) answers one object.
            let document = try Self.answer(&scanner, depth: 0)
            try scanner.end()
            observation.error = wholeRequestError(document) ?? .notJSON("expected an array of answers")
            return observation
        default:
            try scanner.skipValue(depth: 0)
            try scanner.end()
            observation.error = .notJSON("expected an array of answers")
            return observation
        }
    }

    private mutating func readAnswers(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> JolokiaObservation {
        var count = 0
        var notAnObject: Int?
        try scanner.elements(depth: 0) { (scanner: inout JSONScanner, position: Int) throws(JSONScanner.Failure) in
            count += 1
            // After an answer that is not an object only checked: the body must still be JSON.
            guard notAnObject == nil, try scanner.kind(depth: 1) == .object else {
                if notAnObject == nil { notAnObject = position }
                try scanner.skipValue(depth: 1)
                return
            }
            take(try Self.answer(&scanner, depth: 1), position: position)
        }
        try scanner.end()
        guard count > 0 else {
            observation.error = .notJSON("empty answer array")
            return observation
        }
        if let notAnObject {
            observation.error = .notJSON("answer \(notAnObject + 1) is not an object")
            return observation
        }
        if let roleMismatch {
            // `Slave` decides the role: an endpoint that answers it with the wrong type is
            // faulty, not a broker of unknown role behind a healthy endpoint.
            observation.error = .notJSON("attribute \(JolokiaResponseParser.roleAttribute) is of type \(roleMismatch), expected true or false")
            return observation
        }
        if readCount == 0 {
            // Every value of the wrong type (numbers as strings, say): name one, so the
            // operator sees what the endpoint sent instead of a bare "no values".
            observation.error = firstError ?? .notJSON(firstMismatch.map { "no attribute of the expected type (\($0))" } ?? "no attribute values")
        }
        return observation
    }

    /// Reads the object starting here (of nesting `depth`), noting where the members an answer needs are.
    private static func answer(_ scanner: inout JSONScanner, depth: Int) throws(JSONScanner.Failure) -> Answer {
        var answer = Answer()
        try scanner.members(depth: depth) { (scanner: inout JSONScanner, key: JSONScanner.Key) throws(JSONScanner.Failure) in
            if scanner.key(key, is: "request") {
                answer.attribute = nil
                guard try scanner.kind(depth: depth + 1) == .object else { return try scanner.skipValue(depth: depth + 1) }
                try scanner.members(depth: depth + 1) { (scanner: inout JSONScanner, key: JSONScanner.Key) throws(JSONScanner.Failure) in
                    guard scanner.key(key, is: "attribute") else { return try scanner.skipValue(depth: depth + 2) }
                    answer.attribute = try scanner.kind(depth: depth + 2) == .string ? scanner.index : nil
                    try scanner.skipValue(depth: depth + 2)
                }
                return
            }
            let start = scanner.index
            if scanner.key(key, is: "value") {
                answer.value = start
            } else if scanner.key(key, is: "status") {
                answer.status = start
            } else if scanner.key(key, is: "error") {
                answer.error = start
            } else if scanner.key(key, is: "error_type") {
                answer.errorType = start
            }
            try scanner.skipValue(depth: depth + 1)
        }
        return answer
    }

    // MARK: - One answer

    /// Applies one answer (at `position` in the array) to the observation.
    private mutating func take(_ answer: Answer, position: Int) {
        let named = attribute(answer, position: position)
        let status = answer.status.flatMap { int64(at: $0) }
        if status == 200, let value = answer.value {
            if apply(value, named.declared) {
                readCount += 1
            } else {
                let type = describe(value)
                observation.attributeErrors[named.name] = "unexpected value \(type)"
                firstMismatch = firstMismatch ?? "\(named.name): \(type)"
                if named.name == JolokiaResponseParser.roleAttribute { roleMismatch = type }
            }
        } else {
            let failure = jolokiaError(answer) ?? .jolokia(type: "unknown", message: "status \(status.map(String.init) ?? "missing")")
            if case .jolokia(let type, let message) = failure {
                observation.attributeErrors[named.name] = type == "unknown" ? message : "\(type): \(message)"
            }
            firstError = firstError ?? failure
        }
    }

    /// The answer's attribute: named in its request, else the one asked for at its position.
    private func attribute(_ answer: Answer, position: Int) -> Named {
        guard let start = answer.attribute else {
            let name = position < attributes.count ? attributes[position] : "#\(position + 1)"
            return Named(name: name, declared: JolokiaObservation.attributesByName[name])
        }
        var reader = JSONScanner(body, at: start)
        if let raw = try? reader.rawString() {
            for declared in Self.declaredNames where reader.bytes(raw, equal: declared.utf8) {
                return Named(name: declared.attribute.name, declared: declared.attribute)
            }
        }
        let name = text(at: start) ?? ""
        return Named(name: name, declared: JolokiaObservation.attributesByName[name])
    }

    /// Stores one attribute's value (starting at `start`); false when its JSON type is not the expected one.
    ///
    /// Which property keeps it and how it decodes are declared in `JolokiaObservation.attributes`.
    private mutating func apply(_ start: Int, _ declared: BrokerAttribute?) -> Bool {
        // An attribute this version does not know: read, but not kept.
        guard let declared else { return true }
        switch declared.value {
        case .flag(let path):
            guard let flag = flag(at: start) else { return false }
            observation[keyPath: path] = flag
        case .text(let path):
            guard let text = text(at: start) else { return false }
            observation[keyPath: path] = text
        case .count(let path):
            guard let number = int64(at: start) else { return false }
            observation[keyPath: path] = number
        case .percent(let path):
            guard let number = int64(at: start), let percent = Int(exactly: number) else { return false }
            observation[keyPath: path] = percent
        case .stringMap(let path):
            guard let map = stringMap(at: start) else { return false }
            observation[keyPath: path] = map
        }
        return true
    }

    // MARK: - Values, read again where the first pass found them

    /// The kind of the value at `start` (which the first pass checked).
    private func kind(at start: Int) -> JSONScanner.Kind? {
        try? JSONScanner(body, at: start).kind(depth: 0)
    }

    /// A string's text (`JSONValue.stringValue`).
    private func text(at start: Int) -> String? {
        guard kind(at: start) == .string else { return nil }
        var reader = JSONScanner(body, at: start)
        return try? reader.string()
    }

    /// A boolean, or the string `"true"` or `"false"` (`JSONValue.boolValue`).
    private func flag(at start: Int) -> Bool? {
        switch kind(at: start) {
        case .true: true
        case .false: false
        case .string:
            // Some JMX bridges render booleans as strings; accept the two exact spellings only.
            switch text(at: start) {
            case "true": true
            case "false": false
            default: nil
            }
        default: nil
        }
    }

    /// An integer value; whole doubles in range are accepted, fractions are not (`JSONValue.int64Value`).
    private func int64(at start: Int) -> Int64? {
        guard kind(at: start) == .number else { return nil }
        var reader = JSONScanner(body, at: start)
        switch try? reader.number() {
        case .integer(let value):
            return value
        case .double(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9.2e18 else { return nil }
            return Int64(value)
        case nil:
            return nil
        }
    }

    /// An object's string members (others dropped; a repeated name by its last value); null is empty.
    private func stringMap(at start: Int) -> [String: String]? {
        switch kind(at: start) {
        case .null:
            // An idle broker without connectors answers null.
            return [:]
        case .object:
            var map: [String: String] = [:]
            var reader = JSONScanner(body, at: start)
            // The depth is the value's own in the first pass, which checked it: 2 (array, answer, value).
            let read: Void? = try? reader.members(depth: 2) { (reader: inout JSONScanner, key: JSONScanner.Key) throws(JSONScanner.Failure) in
                let name = reader.text(of: key)
                if try reader.kind(depth: 3) == .string {
                    map[name] = try reader.string()
                } else {
                    map[name] = nil
                    try reader.skipValue(depth: 3)
                }
            }
            return read == nil ? nil : map
        default:
            return nil
        }
    }

    /// The JSON type of the value at `start`, for "unexpected value ...".
    private func describe(_ start: Int) -> String {
        switch kind(at: start) {
        case .null: "null"
        case .true, .false: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case nil: "nothing"
        }
    }

    // MARK: - Errors

    /// A Jolokia error for a whole request: an object whose status is not 200.
    private func wholeRequestError(_ document: Answer) -> EndpointError? {
        guard let status = document.status.flatMap({ int64(at: $0) }), status != 200 else { return nil }
        return jolokiaError(document) ?? .jolokia(type: "unknown", message: "status \(status)")
    }

    private func jolokiaError(_ answer: Answer) -> EndpointError? {
        JolokiaResponseParser.jolokiaError(text: answer.error.flatMap { text(at: $0) }, type: answer.errorType.flatMap { text(at: $0) })
    }
}
