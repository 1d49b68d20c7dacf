import AMQTopCore

/// Turns a `MetricsSnapshot` into the metric families `amqtop serve` exposes (names per issue #13).
///
/// Pure: the same snapshot always gives the same text, in configuration order, so tests
/// compare whole expositions. Only names, roles, codes, hosts and pids become labels, never
/// a URL, user or password.
public enum ServeMetrics {
    typealias Label = MetricFamily.Label

    /// The roles `amqtop_broker_role` has a series for, per broker.
    public static let roles: [Role] = [.master, .slave, .down, .unknown]

    /// The families, in a fixed order.
    public static func families(_ snapshot: MetricsSnapshot) -> [MetricFamily] {
        let state = snapshot.state
        let groups = state.config.groups
        var status = MetricFamily(name: "amqtop_group_status", help: "The group's status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.", kind: .gauge)
        var master = MetricFamily(name: "amqtop_broker_master", help: "1 for the group's master, 0 for its other brokers.", kind: .gauge)
        var role = MetricFamily(name: "amqtop_broker_role", help: "1 for the broker's current role (master, slave, down, unknown), 0 for the others.", kind: .gauge)
        var acquired = MetricFamily(name: "amqtop_lock_acquired_timestamp_seconds", help: "When the current lock holder took the lock: the timestamp in the KahaDB lock file.", kind: .gauge)
        var holder = MetricFamily(name: "amqtop_lock_holder", help: "Who holds the group's lock file: broker (empty when not a configured one), host and pid (empty when unknown).", kind: .info)
        var alerts = MetricFamily(name: "amqtop_alert", help: "1 while an alert of this code and severity stands in the group.", kind: .gauge)
        var failovers = MetricFamily(name: "amqtop_failovers", help: "Failovers recorded in the history file, by cause (crash, stop, unknown).", kind: .counter)
        var outage = MetricFamily(name: "amqtop_time_without_master_seconds", help: "How long the group had no serving master, per recorded failover.", kind: .histogram)
        var lockAge = MetricFamily(name: "amqtop_lock_age_seconds", help: "How long the current lock holder has held the lock.", kind: .gauge)
        for group in groups {
            let name = group.name
            let g = Label("group", name)
            let assessment = state.assessments[name]
            status.add([g], Double((assessment?.status ?? .unknown).rawValue))
            for broker in group.brokers {
                let current = assessment?.broker(named: broker.name)?.role ?? .unknown
                let b = Label("broker", broker.name)
                master.add([g, b], current == .master ? 1 : 0)
                for candidate in roles {
                    role.add([g, b, Label("role", candidate.rawValue)], candidate == current ? 1 : 0)
                }
            }
            if let lock = state.observations[name]?.lock {
                if let at = lock.acquiredAtMillis {
                    acquired.add([g], Double(at) / 1000)
                    if let age = lock.ageMillis(nowMillis: state.nowMillis) { lockAge.add([g], Double(age) / 1000) }
                }
                if lock.holder.isHeld {
                    let host = lock.holder == .elsewhere ? "" : (lock.holderHost ?? snapshot.localHost)
                    holder.add([g, Label("broker", assessment?.lockHolderBroker ?? ""), Label("host", host),
                                Label("pid", lock.holder.pid.map(String.init) ?? "")], 1)
                }
            }
            // One series per code and severity: an alert raised for two brokers is one standing alert.
            var seen: Set<String> = []
            for alert in assessment?.alerts ?? [] where seen.insert("\(alert.code.rawValue)/\(alert.severity.rawValue)").inserted {
                alerts.add([g, Label("code", alert.code.rawValue), Label("severity", alert.severity.word.lowercased())], 1)
            }
            let recorded = snapshot.failovers[name] ?? []
            // Every cause is written from the start, so `increase()` sees the first failover.
            for cause in FailoverCause.allCases {
                failovers.add([g, Label("cause", cause.rawValue)], Double(recorded.filter { $0.cause == cause }.count))
            }
            var histogram = Histogram(bounds: Histogram.outageSecondsBounds)
            for event in recorded {
                if let millis = event.timeWithoutMasterMillis { histogram.observe(Double(millis) / 1000) }
            }
            outage.add([g], histogram)
        }
        var errors = MetricFamily(name: "amqtop_probe_errors", help: "Broker probes that got no usable answer, by error code.", kind: .counter)
        for (key, count) in snapshot.probes.errors.sorted(by: { $0.key < $1.key }) {
            errors.add([Label("group", key.group), Label("broker", key.broker), Label("code", key.code)], Double(count))
        }
        var durations = MetricFamily(name: "amqtop_probe_duration_seconds", help: "Probe round trips by kind (jolokia, openwire).", kind: .histogram)
        for (kind, histogram) in snapshot.probes.durations.sorted(by: { $0.key < $1.key }) {
            durations.add([Label("kind", kind)], histogram)
        }
        var rounds = MetricFamily(name: "amqtop_poll_rounds", help: "Poll rounds completed since serve started.", kind: .counter)
        rounds.add([], Double(snapshot.probes.rounds))
        var lastRound = MetricFamily(name: "amqtop_last_round_timestamp_seconds", help: "When the last complete poll round finished.", kind: .gauge)
        if let at = state.lastRoundMillis { lastRound.add([], Double(at) / 1000) }
        return [status, master, role, acquired, lockAge, holder, alerts, failovers, outage, errors, durations, rounds, lastRound]
    }

    /// The exposition text of `snapshot` in `format`.
    public static func text(_ snapshot: MetricsSnapshot, format: ExpositionFormat) -> String {
        ExpositionWriter.text(families(snapshot), format: format)
    }
}
