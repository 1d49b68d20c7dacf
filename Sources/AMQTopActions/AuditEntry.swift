import AMQTopCore
import Foundation

/// One line of the audit log: who tried to stop which broker, how, and what happened.
///
/// It never holds a secret: the method is its name only, and a `stopCommand` is kept as
/// its program name, since operators sometimes put tokens in arguments.
public struct AuditEntry: Equatable, Sendable, Codable {
    public var atMillis: Int64
    public var user: String
    /// `SSH_CLIENT` when the operator is on SSH: where they came from.
    public var sshClient: String?
    public var host: String
    public var group: String
    public var broker: String
    public var method: String
    public var result: String
    public var detail: String

    public init(
        atMillis: Int64, user: String, sshClient: String?, host: String, group: String, broker: String,
        method: String, result: String, detail: String
    ) {
        self.atMillis = atMillis
        self.user = user
        self.sshClient = sshClient
        self.host = host
        self.group = group
        self.broker = broker
        self.method = method
        self.result = result
        self.detail = detail
    }

    /// An entry for a stop attempt by the current user, now.
    public static func stop(
        group: String, broker: BrokerConfig, outcome: StopOutcome, atMillis: Int64,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AuditEntry {
        var method = broker.stop.name
        if case .command(let arguments) = broker.stop, let program = arguments.first {
            method += " (\((program as NSString).lastPathComponent))"
        }
        return AuditEntry(
            atMillis: atMillis, user: currentUser(environment: environment),
            sshClient: environment["SSH_CLIENT"].flatMap { $0.isEmpty ? nil : $0 },
            host: ProcessInfo.processInfo.hostName, group: group, broker: broker.name, method: method,
            result: outcome.word, detail: outcome.detail)
    }

    /// The `intent` entry written before a stop is sent: if it cannot be written, the stop is not sent.
    public static func intent(
        group: String, broker: BrokerConfig, atMillis: Int64,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AuditEntry {
        var entry = stop(group: group, broker: broker, outcome: .sent(""), atMillis: atMillis, environment: environment)
        entry.result = intentWord
        entry.detail = "about to stop \(broker.name) by \(entry.method)"
        return entry
    }

    /// The `result` of an entry written before acting.
    public static let intentWord = "intent"

    /// The login name of the effective user, falling back to `$USER`.
    static func currentUser(environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "uid \(geteuid())"
    }
}
