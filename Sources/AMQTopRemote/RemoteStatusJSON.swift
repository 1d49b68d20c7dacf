import AMQTopCore

/// The `hosts` section of `status --json`: each host's connection state, error and round trip.
public enum RemoteStatusJSON {
    /// One entry per configured host, in configuration order.
    public static func hosts(_ statuses: [HostConnection.Status], disagreements: [String: String]) -> OrderedJSON {
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

    /// `document` with the `hosts` section (and lock-view disagreements) added, when hosts are configured.
    public static func adding(to document: OrderedJSON, prober: RemoteAwareProber, config: AppConfig) -> OrderedJSON {
        guard !config.hosts.isEmpty, case .object(var fields) = document else { return document }
        fields.append(("hosts", hosts(prober.pool.statuses, disagreements: [:])))
        let notes = prober.locks.disagreements.sorted { $0.key < $1.key }
        fields.append(("lockDisagreements", .object(notes.map { ($0.key, .string($0.value)) })))
        return .object(fields)
    }
}
