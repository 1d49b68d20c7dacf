import AMQTopCore
import Foundation

@testable import AMQTopProbes

/// The bulk read's rules as they were before `BulkReadScanner` (ba67125): the whole body read
/// into a `JSONValue` tree by `JSONReader`, then walked. Frozen here as the oracle the
/// streaming reader must agree with, observation for observation (error texts included),
/// in `BulkReadScannerTests` and in the fuzz target (`run.sh` builds this file into it).
/// (The body's snippet and the error's text are the production helpers: not what changed.)
enum ReferenceBulkRead {
    static func observation(_ body: Data, attributes: [String] = JolokiaRequests.attributes) -> JolokiaObservation {
        var observation = JolokiaObservation(atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
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
                    if attribute == "Slave" { roleMismatch = describe(value) }
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
            observation.error = .notJSON("attribute Slave is of type \(roleMismatch), expected true or false")
            return observation
        }
        if readCount == 0 {
            observation.error = firstError ?? .notJSON(firstMismatch.map { "no attribute of the expected type (\($0))" } ?? "no attribute values")
        }
        return observation
    }

    private static func decode(_ body: Data) -> Result<JSONValue, EndpointError> {
        if body.isEmpty { return .failure(.notJSON("empty body")) }
        do {
            return .success(try JSONReader.parse(body))
        } catch {
            return .failure(.notJSON("\(error.reason) at byte \(error.offset); body starts with \(body.withUnsafeBytes { JolokiaResponseParser.snippet($0) })"))
        }
    }

    private static func wholeRequestError(_ document: JSONValue) -> EndpointError? {
        guard case .object = document, let status = document["status"]?.int64Value, status != 200 else { return nil }
        return jolokiaError(document) ?? .jolokia(type: "unknown", message: "status \(status)")
    }

    private static func jolokiaError(_ answer: JSONValue) -> EndpointError? {
        JolokiaResponseParser.jolokiaError(text: answer["error"]?.stringValue, type: answer["error_type"]?.stringValue)
    }

    private static func apply(_ value: JSONValue, attribute: String, to observation: inout JolokiaObservation) -> Bool {
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
}
