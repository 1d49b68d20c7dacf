import Foundation

/// An `amqtop.yaml` as the product reads it, rendered by hand so the harness does not
/// depend on the product's own config code (which is what it is meant to check).
struct AMQTopConfigFile: Sendable, Equatable {
    /// One broker entry of a group.
    struct Broker: Sendable, Equatable {
        var name: String
        var jolokia: String
        var openwire: String
        var pidFile: String?
        /// The broker's own log, tailed for takeover causes (`brokerLog:`).
        var brokerLog: String? = nil
        /// The broker's activemq.xml, re-read for drift (`brokerXml:`).
        var brokerXml: String? = nil
    }

    /// One master/slave group entry.
    struct Group: Sendable, Equatable {
        var name: String
        var lockFile: String
        var lockKeepAlivePeriod: Duration
        var lockAcquireSleepInterval: Duration
        var brokers: [Broker]
    }

    var poll: Duration
    var lockPoll: Duration
    var timeout: Duration
    var groups: [Group]

    /// The YAML text, in the product's documented shape.
    var yaml: String {
        var lines = [
            "poll: \(Self.format(poll))",
            "lockPoll: \(Self.format(lockPoll))",
            "timeout: \(Self.format(timeout))",
            "groups:",
        ]
        for group in groups {
            lines.append("  - name: \(Self.quoted(group.name))")
            lines.append("    lockFile: \(Self.quoted(group.lockFile))")
            lines.append("    lockKeepAlivePeriod: \(Self.format(group.lockKeepAlivePeriod))")
            lines.append("    lockAcquireSleepInterval: \(Self.format(group.lockAcquireSleepInterval))")
            lines.append("    brokers:")
            for broker in group.brokers {
                lines.append("      - name: \(Self.quoted(broker.name))")
                lines.append("        jolokia: \(Self.quoted(broker.jolokia))")
                lines.append("        openwire: \(Self.quoted(broker.openwire))")
                if let pidFile = broker.pidFile {
                    lines.append("        pidFile: \(Self.quoted(pidFile))")
                }
                if let brokerLog = broker.brokerLog {
                    lines.append("        brokerLog: \(Self.quoted(brokerLog))")
                }
                if let brokerXml = broker.brokerXml {
                    lines.append("        brokerXml: \(Self.quoted(brokerXml))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2s` for whole seconds, else `250ms`: the product's duration syntax.
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// The value as a plain scalar when YAML reads it back unchanged, else double-quoted.
    static func quoted(_ value: String) -> String {
        let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "/._-:".contains($0) }
        if plain && !value.isEmpty && value.first != "-" && !value.contains(": ") {
            return value
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
