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
    /// Read by `BulkReadScanner`, straight from the bytes; `JSONReader` builds no tree for it.
    public static func observation(
        fromBulkRead body: Data, attributes: [String] = JolokiaRequests.attributes,
        atMillis: Int64, latencyMillis: Int64, mbeanBrokerName: String?
    ) -> JolokiaObservation {
        body.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            observation(fromBulkRead: bytes, attributes: attributes, atMillis: atMillis, latencyMillis: latencyMillis, mbeanBrokerName: mbeanBrokerName)
        }
    }

    /// The same from borrowed bytes, such as the `ByteBuffer` the HTTP layer received, uncopied.
    public static func observation(
        fromBulkRead body: UnsafeRawBufferPointer, attributes: [String] = JolokiaRequests.attributes,
        atMillis: Int64, latencyMillis: Int64, mbeanBrokerName: String?
    ) -> JolokiaObservation {
        var observation = JolokiaObservation(atMillis: atMillis, latencyMillis: latencyMillis, mbeanBrokerName: mbeanBrokerName)
        if body.isEmpty {
            observation.error = .notJSON("empty body")
            return observation
        }
        return BulkReadScanner.observation(body, attributes: attributes, into: observation)
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
        return body.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Result<JSONValue, EndpointError> in
            Result { () throws(JSONReader.Failure) in try JSONReader.parse(bytes) }
                .mapError { .notJSON("\($0.reason) at byte \($0.offset); body starts with \(snippet(bytes))") }
        }
    }

    /// A Jolokia error for a whole request: an object whose status is not 200.
    private static func wholeRequestError(_ document: JSONValue) -> EndpointError? {
        guard case .object = document, let status = document["status"]?.int64Value, status != 200 else { return nil }
        return jolokiaError(text: document["error"]?.stringValue, type: document["error_type"]?.stringValue)
            ?? .jolokia(type: "unknown", message: "status \(status)")
    }

    /// The error an answer's `error` and `error_type` strings name; nil without an `error`.
    static func jolokiaError(text: String?, type: String?) -> EndpointError? {
        guard let text else { return nil }
        let type = type ?? "unknown"
        // Jolokia prefixes the message with the exception type: "T : message".
        var message = text
        if message.hasPrefix(type + " : ") { message = String(message.dropFirst(type.count + 3)) }
        return .jolokia(type: type, message: String(message.prefix(300)))
    }

    /// The body's first characters, printable ASCII only, for "what did it send instead".
    static func snippet(_ body: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: body.prefix(40), as: UTF8.self)
        let cleaned = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0.isPunctuation || $0.isSymbol || $0 == " ") ? $0 : "." })
        return "\"\(cleaned)\(body.count > 40 ? "..." : "")\""
    }
}
