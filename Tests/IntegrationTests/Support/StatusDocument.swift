import Foundation

/// The `amqtop status --json` document, read with `JSONSerialization` into plain values.
///
/// Deliberately not the product's own types: the integration tests check the JSON a
/// monitoring system would read, key by key, so a renamed or retyped field fails here.
/// Fields the product leaves `null` are `nil`.
struct StatusDocument: Sendable {
    /// One entry of a group's `alerts`.
    struct Alert: Sendable, CustomStringConvertible {
        let severity: String?
        let code: String?
        let message: String?
        let broker: String?

        var description: String { "\(severity ?? "?") \(code ?? "?") [\(broker ?? "-")]: \(message ?? "")" }
    }

    /// One entry of a group's `brokers`.
    struct Broker: Sendable {
        let name: String?
        let role: String?
        let evidence: [String]
        let holdsLock: Bool?
        let slave: Bool?
        let endpointReachable: Bool?
        let endpointErrorCode: String?
        let openwireState: String?
        let processPid: Int64?
        let processState: String?
    }

    /// A group's `lock` object.
    struct Lock: Sendable {
        let path: String?
        let exists: Bool?
        let state: String?
        let acquiredAtMillis: Int64?
        let ageMillis: Int64?
        let mtimeMillis: Int64?
        let mtimeMatchesTimestamp: Bool?
        let held: Bool?
        let holder: String?
        let holderPid: Int64?
        let holderBroker: String?
        let filesystemType: String?
        let filesystemShared: Bool?
    }

    /// One entry of `groups`.
    struct Group: Sendable {
        let name: String?
        let status: String?
        let master: String?
        let masters: [String]
        let alerts: [Alert]
        let lock: Lock?
        let brokers: [Broker]

        /// The broker entry called `name`, if the document has one.
        func broker(_ name: String) -> Broker? {
            brokers.first { $0.name == name }
        }

        /// Each broker's role, by name, for compact failure messages.
        var roles: [String: String] {
            Dictionary(brokers.map { ($0.name ?? "?", $0.role ?? "null") }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The whole text as `amqtop` printed it, for failure messages.
    let text: String
    let status: String?
    let exitCode: Int64?
    let groups: [Group]

    /// Parses `text`; throws when it is not one JSON object.
    init(_ text: String) throws {
        self.text = text
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let root = parsed as? [String: Any] else {
            throw HarnessError.unknownBroker("status --json did not print a JSON object:\n\(text)")
        }
        status = root["status"] as? String
        exitCode = Self.int(root["exitCode"])
        groups = (root["groups"] as? [[String: Any]] ?? []).map(Self.group)
    }

    /// The group called `name`, if the document has one.
    func group(_ name: String) -> Group? {
        groups.first { $0.name == name }
    }

    private static func group(_ object: [String: Any]) -> Group {
        Group(
            name: object["name"] as? String,
            status: object["status"] as? String,
            master: object["master"] as? String,
            masters: object["masters"] as? [String] ?? [],
            alerts: (object["alerts"] as? [[String: Any]] ?? []).map {
                Alert(
                    severity: $0["severity"] as? String, code: $0["code"] as? String,
                    message: $0["message"] as? String, broker: $0["broker"] as? String)
            },
            lock: (object["lock"] as? [String: Any]).map(lock),
            brokers: (object["brokers"] as? [[String: Any]] ?? []).map(broker)
        )
    }

    private static func lock(_ object: [String: Any]) -> Lock {
        let filesystem = object["filesystem"] as? [String: Any]
        return Lock(
            path: object["path"] as? String,
            exists: bool(object["exists"]),
            state: object["state"] as? String,
            acquiredAtMillis: int(object["acquiredAtMillis"]),
            ageMillis: int(object["ageMillis"]),
            mtimeMillis: int(object["mtimeMillis"]),
            mtimeMatchesTimestamp: bool(object["mtimeMatchesTimestamp"]),
            held: bool(object["held"]),
            holder: object["holder"] as? String,
            holderPid: int(object["holderPid"]),
            holderBroker: object["holderBroker"] as? String,
            filesystemType: filesystem?["type"] as? String,
            filesystemShared: bool(filesystem?["shared"])
        )
    }

    private static func broker(_ object: [String: Any]) -> Broker {
        let endpoint = object["endpoint"] as? [String: Any]
        let process = object["process"] as? [String: Any]
        return Broker(
            name: object["name"] as? String,
            role: object["role"] as? String,
            evidence: object["evidence"] as? [String] ?? [],
            holdsLock: bool(object["holdsLock"]),
            slave: bool(object["slave"]),
            endpointReachable: bool(endpoint?["reachable"]),
            endpointErrorCode: (endpoint?["error"] as? [String: Any])?["code"] as? String,
            openwireState: (object["openwire"] as? [String: Any])?["state"] as? String,
            processPid: int(process?["pid"]),
            processState: process?["state"] as? String
        )
    }

    /// A JSON number as Int64; `JSONSerialization` hands numbers over as `NSNumber`.
    private static func int(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.int64Value
    }

    /// A JSON `true`/`false` only, never a number that happens to be 0 or 1.
    private static func bool(_ value: Any?) -> Bool? {
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // JSON booleans come back as NSNumbers of C type `char` on both Darwin and
        // swift-corelibs-foundation; JSON integers never do (`i` or `q`).
        String(cString: number.objCType) == "c"
    }
}
