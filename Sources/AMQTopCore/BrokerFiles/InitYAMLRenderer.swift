/// Renders an ``InitPlan`` as an `amqtop.yaml` that ``ConfigParser`` accepts, with comments
/// saying where each value came from and what was found.
public enum InitYAMLRenderer {
    /// The YAML text; `sources` are the files read, for the header.
    public static func render(_ plan: InitPlan, sources: [String]) -> String {
        var lines = ["# Written by `amqtop init` from:"]
        lines += sources.map { "#   \(comment($0))" }
        lines.append("# Groups are the brokers whose stores share one lock file.")
        if !plan.unwatched.isEmpty {
            lines.append("#")
            lines += plan.unwatched.map { "# NOT WATCHED: \(comment($0))" }
        }
        if !plan.warnings.isEmpty || !plan.notes.isEmpty {
            lines.append("#")
            lines += (plan.warnings + plan.notes).map { "# NOTE: \(comment($0))" }
        }
        // Files read on broker hosts (HOST:PATH): their brokers are watched through those hosts.
        var hosts: [String] = []
        for member in plan.groups.flatMap(\.members) {
            if let host = member.definition.host, !hosts.contains(host) { hosts.append(host) }
        }
        if !hosts.isEmpty {
            lines.append("hosts:")
            for host in hosts { lines += ["  - name: \(quoted(host))", "    ssh: \(quoted(host))"] }
        }
        lines.append(plan.groups.isEmpty ? "groups: []" : "groups:")
        for group in plan.groups {
            lines.append("  - name: \(quoted(group.name))")
            lines += group.critical.map { "    # CRITICAL: \(comment($0))" }
            lines += group.differences.map { "    # DIFFERS: \(comment($0))" }
            lines.append("    lockFile: \(quoted(group.lockFile))")
            lines.append("    lockKeepAlivePeriod: \(duration(group.lockKeepAlivePeriodMillis))")
            if group.lockAcquireSleepIntervalMillis > 0 {
                lines.append("    lockAcquireSleepInterval: \(duration(group.lockAcquireSleepIntervalMillis))")
            } else {
                lines.append("    # lockAcquireSleepInterval is 0 on the brokers: slaves retry without pause; amqtop's default (10s) applies")
            }
            lines.append("    brokers:")
            for member in group.members {
                lines += broker(member)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func broker(_ member: InitPlan.Member) -> [String] {
        let broker = member.definition
        var lines = ["      - name: \(quoted(member.name))"]
        lines.append("        # from \(comment(broker.file)), line \(broker.line)")
        if let host = broker.host { lines.append("        host: \(quoted(host))") }
        lines += broker.notes.map { "        # \(comment($0))" }
        lines.append("        brokerName: \(quoted(broker.brokerName))")
        if let jolokia = broker.jolokia {
            lines.append("        jolokia: \(quoted(jolokia))")
            lines.append("        # username: admin            # the web console's user (jetty-realm.properties)")
            lines.append("        # passwordEnv: AMQ_PASSWORD  # or passwordFile: a file only you can read")
        } else {
            lines.append("        # jolokia: no web console port in its files; add http://HOST:8161/api/jolokia if it has one")
        }
        if let openwire = broker.openwire {
            lines.append("        openwire: \(quoted("tcp://\(openwire)"))")
        } else {
            lines.append("        # openwire: no OpenWire transport connector in its file")
        }
        let others = broker.connectors.filter { connector in
            guard let openwire = broker.openwire, let address = HostPort(parsing: connector.uri) else { return true }
            return !(address.port == openwire.port && (address.host == openwire.host || ListenAddress.isWildcard(address.host)))
        }
        if !others.isEmpty {
            lines.append("        # other connectors: \(comment(others.map { ($0.name.map { "\($0) " } ?? "") + $0.uri }.joined(separator: ", ")))")
        }
        return lines
    }

    /// `2s` for whole seconds, else `250ms`; `0` for off: the config's duration syntax.
    static func duration(_ millis: Int64) -> String {
        if millis == 0 { return "0" }
        return millis % 1000 == 0 ? "\(millis / 1000)s" : "\(millis)ms"
    }

    /// Always double-quoted, escaped: paths and names from broker files may hold anything.
    static func quoted(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }

    /// One comment line: newlines and other control characters would end the comment early.
    static func comment(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
