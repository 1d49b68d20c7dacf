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

    /// The hosts as text lines for `status` without `--json` (one per host, the error when there is one).
    public static func text(_ statuses: [HostConnection.Status]) -> String {
        guard !statuses.isEmpty else { return "" }
        var lines = ["", "HOSTS"]
        for status in statuses {
            var line = "  \(status.name) (\(status.destination)): \(status.state.code)"
            if let millis = status.roundTripMillis { line += ", \(millis) ms" }
            if let error = status.state.error { line += " - \(error)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `document` with the `hosts` section added, when hosts are configured.
    ///
    /// Faults only the hosts' comparison shows (LOCK_VIEWS_DISAGREE, STUCK_LOCK) are alerts of
    /// their group, in its `alerts` like every other.
    public static func adding(to document: OrderedJSON, prober: RemoteAwareProber, config: AppConfig) -> OrderedJSON {
        guard !config.hosts.isEmpty, case .object(var fields) = document else { return document }
        fields.append(("hosts", hosts(prober.pool.statuses)))
        return .object(fields)
    }
}
