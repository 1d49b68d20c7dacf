import Foundation

/// The parts of `amqtop status --json` the multi-host tests read, as plain dictionaries.
struct MultiHostStatus: @unchecked Sendable {
    // Immutable after init; @unchecked because JSONSerialization's values are not Sendable-typed.
    let document: [String: Any]
    let raw: String

    init(_ result: CommandResult) throws {
        raw = result.stdout
        guard let data = result.stdout.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw HarnessError.launch("status --json printed no JSON (exit \(result.exitCode), signal \(result.terminatedBySignal), timed out \(result.timedOut)): \(result.stdout) \(result.stderr)")
        }
        document = object
    }

    var hosts: [[String: Any]] { document["hosts"] as? [[String: Any]] ?? [] }
    func host(_ name: String) -> [String: Any]? { hosts.first { $0["name"] as? String == name } }
    func hostState(_ name: String) -> String? { host(name)?["state"] as? String }
    func hostError(_ name: String) -> String? { host(name)?["error"] as? String }

    var group: [String: Any] { (document["groups"] as? [[String: Any]])?.first ?? [:] }
    var lock: [String: Any] { group["lock"] as? [String: Any] ?? [:] }
    var brokers: [[String: Any]] { group["brokers"] as? [[String: Any]] ?? [] }
    func broker(_ name: String) -> [String: Any]? { brokers.first { $0["name"] as? String == name } }
    func role(_ name: String) -> String? { broker(name)?["role"] as? String }
    func evidence(_ name: String) -> [String] { broker(name)?["evidence"] as? [String] ?? [] }
    func process(_ name: String) -> [String: Any]? { broker(name)?["process"] as? [String: Any] }
    var masters: [String] { brokers.filter { $0["role"] as? String == "master" }.compactMap { $0["name"] as? String } }
    func lockInt(_ key: String) -> Int64? { (lock[key] as? NSNumber)?.int64Value }
}
