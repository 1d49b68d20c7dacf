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

    /// `document` with the `hosts` and `remoteFindings` sections added, when hosts are configured.
    public static func adding(to document: OrderedJSON, prober: RemoteAwareProber, config: AppConfig) -> OrderedJSON {
        guard !config.hosts.isEmpty, case .object(var fields) = document else { return document }
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
