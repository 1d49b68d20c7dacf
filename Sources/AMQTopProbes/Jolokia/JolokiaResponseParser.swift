import AMQTopCore
import Foundation

/// Turns Jolokia's answers into observations: pure functions of the body bytes.
///
/// Nothing here does I/O, so every shape Jolokia (or something pretending to be it) can
/// send is unit-tested and fuzzed. No input makes these functions trap.
public enum JolokiaResponseParser {
    /// The fields of a poll from the body of a bulk read (see `JolokiaRequests.bulkRead`).
    ///
    /// Attributes that failed on their own (a slave's "Broker is not yet started.") go to
    /// `attributeErrors`; only when no attribute could be read at all is the answer an error.
    public static func observation(
        fromBulkRead body: Data, attributes: [String] = JolokiaRequests.attributes,
        atMillis: Int64, latencyMillis: Int64, mbeanBrokerName: String?
    ) -> JolokiaObservation {
        var observation = JolokiaObservation(atMillis: atMillis, latencyMillis: latencyMillis, mbeanBrokerName: mbeanBrokerName)
        let answers: [JSONValue]
        switch decode(body) {
        case .failure(let error):
            observation.error = error
            return observation
        case .success(.array(let items)):
            answers = items
        case .success(let other):
            observation.error = wholeRequestError(other) ?? .notJSON("expected an array of answers")
            return observation
        }
        guard !answers.isEmpty else {
            observation.error = .notJSON("empty answer array")
            return observation
        }
        var readCount = 0
        var firstError: EndpointError?
        var firstMismatch: String?
        var roleMismatch: String?
        for (index, answer) in answers.enumerated() {
            guard case .object = answer else {
                observation.error = .notJSON("answer \(index + 1) is not an object")
                return observation
            }
            let attribute = answer["request"]?["attribute"]?.stringValue ?? (index < attributes.count ? attributes[index] : "#\(index + 1)")
            let status = answer["status"]?.int64Value
            if status == 200, let value = answer["value"] {
                if apply(value, attribute: attribute, to: &observation) {
                    readCount += 1
                } else {
                    observation.attributeErrors[attribute] = "unexpected value \(describe(value))"
                    firstMismatch = firstMismatch ?? "\(attribute): \(describe(value))"
                    if attribute == roleAttribute { roleMismatch = describe(value) }
                }
            } else {
                let failure = jolokiaError(answer) ?? .jolokia(type: "unknown", message: "status \(status.map(String.init) ?? "missing")")
                if case .jolokia(let type, let message) = failure {
                    observation.attributeErrors[attribute] = type == "unknown" ? message : "\(type): \(message)"
                }
                if firstError == nil || attribute == "Slave" { firstError = firstError ?? failure }
            }
        }
        if let roleMismatch {
            // `Slave` decides the role: an endpoint that answers it with the wrong type is
            // faulty, not a broker of unknown role behind a healthy endpoint.
            observation.error = .notJSON("attribute \(roleAttribute) is of type \(roleMismatch), expected true or false")
            return observation
        }
        if readCount == 0 {
            // Every value of the wrong type (numbers as strings, say): name one, so the
            // operator sees what the endpoint sent instead of a bare "no values".
            observation.error = firstError ?? .notJSON(firstMismatch.map { "no attribute of the expected type (\($0))" } ?? "no attribute values")
        }
        return observation
    }

    /// The `brokerName` keys found by a pattern read (see `JolokiaRequests.discovery`), sorted.
    public static func brokerNames(fromDiscovery body: Data) -> Result<[String], EndpointError> {
        let document: JSONValue
        switch decode(body) {
        case .failure(let error): return .failure(error)
        case .success(.array(let items)):
            guard let first = items.first else { return .failure(.notJSON("empty answer array")) }
            document = first
        case .success(let value): document = value
        }
        if let error = wholeRequestError(document) { return .failure(error) }
        guard document["status"]?.int64Value == 200, case .object(let matches)? = document["value"] else {
            return .failure(.notJSON("pattern read without a value object"))
        }
        let names = matches.keys.compactMap { brokerName(inObjectName: $0) }
        return .success(Array(Set(names)).sorted())
    }

    /// Nil when an `exec` succeeded, else why it did not.
    public static func execError(_ body: Data) -> EndpointError? {
        switch decode(body) {
        case .failure(let error): return error
        case .success(let document):
            let single: JSONValue
            if case .array(let items) = document, let first = items.first { single = first } else { single = document }
            if single["status"]?.int64Value == 200 { return nil }
            return wholeRequestError(single) ?? .notJSON("exec answer without a status")
        }
    }

    /// The `brokerName` property of a JMX object name such as `org.apache.activemq:brokerName=b2,type=Broker`.
    public static func brokerName(inObjectName name: String) -> String? {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        for property in splitProperties(name[name.index(after: colon)...]) {
            let parts = property.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "brokerName" {
                var value = String(parts[1])
                // JMX quotes values holding special characters: "a,b" -> a,b.
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                }
                return value
            }
        }
        return nil
    }

    /// Splits `k=v,k2="a,b"` at the commas outside quotes (a backslash escapes inside quotes).
    private static func splitProperties(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted, character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }

    // MARK: - Helpers

    /// The attribute whose value decides master or slave.
    static let roleAttribute = "Slave"

    private static func decode(_ body: Data) -> Result<JSONValue, EndpointError> {
        if body.isEmpty { return .failure(.notJSON("empty body")) }
        do {
            return .success(try JSONReader.parse(body))
        } catch {
            return .failure(.notJSON("\(error.reason) at byte \(error.offset); body starts with \(snippet(body))"))
        }
    }

    /// A Jolokia error for a whole request: an object whose status is not 200.
    private static func wholeRequestError(_ document: JSONValue) -> EndpointError? {
        guard case .object = document, let status = document["status"]?.int64Value, status != 200 else { return nil }
        return jolokiaError(document) ?? .jolokia(type: "unknown", message: "status \(status)")
    }

    private static func jolokiaError(_ answer: JSONValue) -> EndpointError? {
        guard let text = answer["error"]?.stringValue else { return nil }
        let type = answer["error_type"]?.stringValue ?? "unknown"
        // Jolokia prefixes the message with the exception type: "T : message".
        var message = text
        if message.hasPrefix(type + " : ") { message = String(message.dropFirst(type.count + 3)) }
        return .jolokia(type: type, message: String(message.prefix(300)))
    }

    /// Stores one attribute's value; false when its JSON type is not the expected one.
    ///
    /// Which property keeps it and how it decodes are declared in `JolokiaObservation.attributes`.
    private static func apply(_ value: JSONValue, attribute: String, to observation: inout JolokiaObservation) -> Bool {
        // An attribute this version does not know: read, but not kept.
        guard let declared = JolokiaObservation.attributesByName[attribute] else { return true }
        switch declared.value {
        case .flag(let path):
            guard let flag = value.boolValue else { return false }
            observation[keyPath: path] = flag
        case .text(let path):
            guard let text = value.stringValue else { return false }
            observation[keyPath: path] = text
        case .count(let path):
            guard let number = value.int64Value else { return false }
            observation[keyPath: path] = number
        case .percent(let path):
            guard let number = value.int64Value, let percent = Int(exactly: number) else { return false }
            observation[keyPath: path] = percent
        case .stringMap(let path):
            guard case .object(let members) = value else {
                // An idle broker without connectors answers null.
                if value == .null { observation[keyPath: path] = [:]; return true }
                return false
            }
            observation[keyPath: path] = members.compactMapValues { $0.stringValue }
        }
        return true
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The body's first characters, printable ASCII only, for "what did it send instead".
    private static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(40), as: UTF8.self)
        let cleaned = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0.isPunctuation || $0.isSymbol || $0 == " ") ? $0 : "." })
        return "\"\(cleaned)\(body.count > 40 ? "..." : "")\""
    }
}
