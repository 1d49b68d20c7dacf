/// Renders the `amqtop.yaml` that lets the dashboard watch a lab group.
public enum LabGroupConfigWriter {
    /// The YAML text for `brokers` sharing `lockFile`, with the group's lock settings.
    /// `passwordFile` is written for every broker when the group has a password.
    public static func yaml(
        groupName: String,
        lockFile: String,
        lockKeepAlivePeriodMillis: Int64,
        lockAcquireSleepIntervalMillis: Int64,
        brokers: [LabBrokerConfiguration],
        passwordFile: String?
    ) -> String {
        var lines = [
            "# Written by `amqtop lab`: a group of lab brokers sharing one lock file.",
            "poll: 1s",
            "lockPoll: 250ms",
            "timeout: 2s",
            "groups:",
            "  - name: \(scalar(groupName))",
            "    lockFile: \(scalar(lockFile))",
            "    lockKeepAlivePeriod: \(duration(lockKeepAlivePeriodMillis))",
            "    lockAcquireSleepInterval: \(duration(lockAcquireSleepIntervalMillis))",
            "    brokers:",
        ]
        for broker in brokers {
            lines.append("      - name: \(scalar(broker.name))")
            lines.append("        jolokia: \(scalar(broker.jolokiaURL))")
            if let passwordFile {
                lines.append("        username: \(scalar(broker.username))")
                lines.append("        passwordFile: \(scalar(passwordFile))")
            }
            lines.append("        openwire: \(scalar(broker.openWireURI))")
            if let pidFile = broker.pidFile {
                lines.append("        pidFile: \(scalar(pidFile))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2s` for whole seconds, otherwise `250ms`.
    static func duration(_ millis: Int64) -> String {
        millis % 1000 == 0 ? "\(millis / 1000)s" : "\(millis)ms"
    }

    /// A plain YAML scalar when that is unambiguous, otherwise a double-quoted one.
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar)
                || "_./:@-+".unicodeScalars.contains(scalar)
        } && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && text.first.map { !"-:@".contains($0) } ?? false && Double(text) == nil
        if plain { return text }
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
