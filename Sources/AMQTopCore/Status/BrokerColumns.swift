/// The broker columns, declared once: what the dashboard's table, `status` text and `--json` show.
///
/// A new column is a declaration here and its place in `tableOrder` and `jsonOrder`; an attribute it
/// shows is declared in `JolokiaObservation.attributes`. The JSON keys and their order are a
/// stable interface: append, never rename or reorder.
extension BrokerColumn {
    /// The table's columns, left to right (the screen shows those with a `layout`, `status` those `inText`).
    public static let tableOrder: [BrokerColumn] = [name, role, endpoint, openwire, uptime, connections, version, evidence]

    /// The `--json` broker object's keys, in order.
    public static let jsonOrder: [BrokerColumn] = [
        name, role, evidence, holdsLock, slave, endpoint, openwire, process, brokerName, brokerId,
        uptime, version, connections, totalMessages, storePercentUsage, memoryPercentUsage,
    ]

    public static let name = BrokerColumn(
        key: "name", header: "BROKER", layout: ColumnLayout(minWidth: 6, maxWidth: 16, priority: 0),
        text: { $0.config.name }, json: { .string($0.config.name) })

    public static let role = BrokerColumn(
        key: "role", header: "ROLE", layout: ColumnLayout(minWidth: 9, priority: 0),
        text: { row in row.verdict.map { "\($0.role.symbol) \($0.role.rawValue)" } ?? "?" },
        json: { .string($0.verdict?.role.rawValue) })

    public static let endpoint = BrokerColumn(
        // Wide enough for "ok Slave=false 123ms": a latency gaining a digit must not reflow (and resend) the table.
        key: "endpoint", header: "ENDPOINT", layout: ColumnLayout(minWidth: 21, maxWidth: 28, priority: 1),
        text: { row in
            guard row.config.jolokia != nil else { return nil }
            guard let jolokia = row.jolokia else { return "not polled" }
            return jolokia.error?.summary ?? "ok \(jolokia.latencyMillis)ms"
        },
        json: { row in
            guard row.config.jolokia != nil else { return .null }
            let jolokia = row.jolokia
            return .object([
                ("url", .string(row.config.jolokia)),
                ("reachable", .bool(jolokia?.reachable)),
                ("error", jolokia?.error.map(StatusJSON.endpointError) ?? .null),
                ("latencyMillis", .int(jolokia?.latencyMillis)),
                ("attributeErrors", .object((jolokia?.attributeErrors ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ])
        })

    public static let openwire = BrokerColumn(
        key: "openwire", header: "OPENWIRE", layout: ColumnLayout(minWidth: 13, maxWidth: 13, priority: 2),
        text: { row in row.config.openwire == nil ? nil : (row.observation?.openwire?.state.code ?? "not probed") },
        json: { row in
            row.config.openwire.map { address in
                .object([("address", .string(address.description)), ("state", .string(row.observation?.openwire?.state.code))])
            } ?? .null
        })

    public static let uptime = BrokerColumn(
        key: "uptimeMillis", header: "UPTIME", layout: ColumnLayout(minWidth: 6, priority: 3, alignRight: true),
        attribute: \.uptimeMillis, text: { DurationFormat.short($0) }, json: { .int($0) })

    public static let connections = BrokerColumn(
        key: "connections", header: "CONN", layout: ColumnLayout(minWidth: 4, priority: 5, alignRight: true), inText: false,
        attribute: \.connections, text: { "\($0)" }, json: { .int($0) })

    public static let version = BrokerColumn(
        key: "version", header: "VERSION", layout: ColumnLayout(minWidth: 7, maxWidth: 10, priority: 6),
        attribute: \.version, text: { $0 }, json: { .string($0) })

    public static let evidence = BrokerColumn(
        // Narrow screens drop this column; the selected broker's evidence is shown in full below the table.
        key: "evidence", header: "EVIDENCE", layout: ColumnLayout(minWidth: 24, priority: 7, flexible: true),
        text: { $0.verdict?.evidence.joined(separator: "; ") ?? "" },
        json: { .array(($0.verdict?.evidence ?? []).map { .string($0) }) })

    // MARK: - In `--json` only

    public static let holdsLock = BrokerColumn(key: "holdsLock", json: { .bool($0.verdict?.holdsLock) })

    public static let slave = BrokerColumn(key: "slave", attribute: \.slave, json: { .bool($0) })

    public static let process = BrokerColumn(key: "process", json: { row in
        row.config.pidFile.map { path in
            .object([
                ("pidFile", .string(path)),
                ("pid", .int(row.observation?.process?.pid.map { Int64($0) })),
                ("state", .string(row.observation?.process.map { StatusJSON.processState($0.state) })),
            ])
        } ?? .null
    })

    public static let brokerName = BrokerColumn(
        key: "brokerName", json: { .string($0.jolokia?.brokerName ?? $0.jolokia?.mbeanBrokerName) })

    public static let brokerId = BrokerColumn(key: "brokerId", attribute: \.brokerId, json: { .string($0) })

    public static let totalMessages = BrokerColumn(key: "totalMessages", attribute: \.totalMessages, json: { .int($0) })

    public static let storePercentUsage = BrokerColumn(key: "storePercentUsage", attribute: \.storePercentUsage, json: { .int($0) })

    public static let memoryPercentUsage = BrokerColumn(key: "memoryPercentUsage", attribute: \.memoryPercentUsage, json: { .int($0) })
}
