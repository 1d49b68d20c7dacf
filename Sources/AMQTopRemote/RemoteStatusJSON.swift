import AMQTopCore

/// The `hosts` section of `status --json`: each host's connection state, error and round trip.
public enum RemoteStatusJSON {
    /// One entry per configured host, in configuration order.
    public static func hosts(_ statuses: [HostConnection.Status]) -> OrderedJSON {
        .array(statuses.map { status in
            .object([
                ("name", .string(status.name)),
                ("ssh", .string(status.destination)),
                ("state", .string(status.state.code)),
                ("error", .string(status.state.error)),
                ("roundTripMillis", .int(status.roundTripMillis)),
            ])
        })
    }

    /// The worst of `status` and the findings' severities: a stuck lock makes the run CRITICAL.
    public static func status(_ status: Severity, prober: RemoteAwareProber) -> Severity {
        ([status] + prober.remoteFindings.map(\.severity)).max() ?? status
    }

    /// The hosts as text lines for `status` without `--json` (one per host, the error when there is one).
    public static func text(_ statuses: [HostConnection.Status], findings: [RemoteFinding]) -> String {
        guard !statuses.isEmpty else { return "" }
        var lines = ["", "HOSTS"]
        for status in statuses {
            var line = "  \(status.name) (\(status.destination)): \(status.state.code)"
            if let millis = status.roundTripMillis { line += ", \(millis) ms" }
            if let error = status.state.error { line += " - \(error)" }
            lines.append(line)
        }
        for finding in findings {
            lines.append("  \(finding.severity.word) \(finding.code.rawValue) [\(finding.group)]: \(finding.message) \(finding.action)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `document` with the `hosts` and `remoteFindings` sections added, when hosts are configured;
    /// its `status` and `exitCode` raised to a finding's severity.
    public static func adding(to document: OrderedJSON, prober: RemoteAwareProber, config: AppConfig) -> OrderedJSON {
        guard !config.hosts.isEmpty, case .object(var fields) = document else { return document }
        if let index = fields.firstIndex(where: { $0.0 == "status" }), case .string(let word) = fields[index].1,
           let current = Severity.allCases.first(where: { $0.word == word }) {
            let worst = status(current, prober: prober)
            fields[index].1 = .string(worst.word)
            if let code = fields.firstIndex(where: { $0.0 == "exitCode" }) { fields[code].1 = .int(Int64(worst.exitCode)) }
        }
        fields.append(("hosts", hosts(prober.pool.statuses)))
        fields.append(("remoteFindings", .array(prober.remoteFindings.map { finding in
            .object([
                ("group", .string(finding.group)),
                ("severity", .string(finding.severity.word)),
                ("code", .string(finding.code.rawValue)),
                ("message", .string(finding.message)),
                ("action", .string(finding.action)),
            ])
        })))
        return .object(fields)
    }
}
