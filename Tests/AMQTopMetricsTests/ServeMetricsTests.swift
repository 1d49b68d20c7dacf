import AMQTopCore
import AMQTopMetrics
import Testing

/// The exposition text of `amqtop serve`, built from states the real reducer and assessor produce.
struct ServeMetricsTests {
    static let now: Int64 = 1_700_000_100_000
    static let acquired: Int64 = 1_700_000_000_000

    static func group(_ name: String = "orders") -> GroupConfig {
        GroupConfig(
            name: name, lockFile: "/shared/lock", lockKeepAlivePeriodMillis: 2000, lockAcquireSleepIntervalMillis: 1000,
            brokers: (1...2).map { i in
                BrokerConfig(
                    name: "b\(i)", jolokia: "http://127.0.0.1:\(8160 + i)/api/jolokia", username: "admin",
                    password: .environment("AMQTOP_SECRET_PASSWORD"),
                    openwire: HostPort(host: "127.0.0.1", port: 61615 + i), pidFile: "/run/b\(i).pid")
            })
    }

    /// b1 master (pid 101, holds the lock), b2 slave (pid 102), reduced through the dashboard's reducer.
    static func state(group: GroupConfig = group(), masterAlive: Bool = true) -> AppState {
        var state = AppState(config: AppConfig(groups: [group]), nowMillis: now)
        let lock = LockFileSnapshot(
            path: "/shared/lock", atMillis: now, state: .ok, size: 8, mtimeMillis: acquired, device: 1, inode: 2,
            acquiredAtMillis: acquired, holder: masterAlive ? .pid(101) : .free,
            filesystem: FilesystemInfo(type: "ext4", mountPoint: "/"))
        _ = Reducer.reduce(&state, .lockSnapshot(group: group.name, lock))
        let master = BrokerObservation(
            name: "b1",
            jolokia: masterAlive ? JolokiaObservation(atMillis: now, latencyMillis: 3, slave: false) : .failed(.refused, atMillis: now, latencyMillis: 1),
            openwire: PortObservation(atMillis: now, state: masterAlive ? .open : .refused, latencyMillis: 1),
            process: ProcessObservation(atMillis: now, pid: 101, state: masterAlive ? .alive : .dead))
        let slave = BrokerObservation(
            name: "b2", jolokia: JolokiaObservation(atMillis: now, latencyMillis: 4, slave: true),
            openwire: PortObservation(atMillis: now, state: .refused, latencyMillis: 1),
            process: ProcessObservation(atMillis: now, pid: 102, state: .alive))
        _ = Reducer.reduce(&state, .brokerObservation(group: group.name, master))
        _ = Reducer.reduce(&state, .brokerObservation(group: group.name, slave))
        return state
    }

    static func failover(_ cause: FailoverCause, outageMillis: Int64?, at: Int64) -> FailoverEvent {
        FailoverEvent(
            group: "orders", key: FailoverEvent.lockKey(at), fromBroker: "b1", toBroker: "b2", cause: cause, detectedAtMillis: at,
            oldMasterGone: PhaseStamp(atMillis: at, signal: .pid),
            lockAcquired: PhaseStamp(atMillis: at + 100, signal: .lockFile),
            newMasterServing: outageMillis.map { PhaseStamp(atMillis: at + $0, signal: .openwire) })
    }

    static func text(_ state: AppState, failovers: [FailoverEvent] = [], probes: ProbeStatistics = ProbeStatistics(), format: ExpositionFormat = .prometheus) -> String {
        ServeMetrics.text(MetricsSnapshot(state: state, failovers: ["orders": failovers], probes: probes, localHost: "host-a"), format: format)
    }

    static func lines(_ text: String, _ prefix: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix + "{") || $0.hasPrefix(prefix + " ") }
    }

    @Test func prometheusTextShowsTheMasterRolesLockAndStatus() {
        let text = Self.text(Self.state())
        #expect(Self.lines(text, "amqtop_group_status") == [#"amqtop_group_status{group="orders"} 0"#])
        #expect(Self.lines(text, "amqtop_broker_master") == [
            #"amqtop_broker_master{group="orders",broker="b1"} 1"#,
            #"amqtop_broker_master{group="orders",broker="b2"} 0"#,
        ])
        #expect(Self.lines(text, "amqtop_broker_role").filter { $0.hasSuffix(" 1") } == [
            #"amqtop_broker_role{group="orders",broker="b1",role="master"} 1"#,
            #"amqtop_broker_role{group="orders",broker="b2",role="slave"} 1"#,
        ])
        #expect(Self.lines(text, "amqtop_broker_role").count == 8, "4 roles for each of 2 brokers")
        #expect(Self.lines(text, "amqtop_lock_acquired_timestamp_seconds") == [#"amqtop_lock_acquired_timestamp_seconds{group="orders"} 1700000000"#])
        #expect(Self.lines(text, "amqtop_lock_holder_info") == [#"amqtop_lock_holder_info{group="orders",broker="b1",host="host-a",pid="101"} 1"#])
        #expect(text.contains("# TYPE amqtop_lock_holder_info gauge\n"))
        #expect(text.contains("# TYPE amqtop_failovers_total counter\n"))
        #expect(text.contains("# TYPE amqtop_broker_master gauge\n"))
        #expect(!text.contains("# EOF"))
    }

    @Test func noSecretOrURLReachesTheText() {
        let text = Self.text(Self.state())
        for secret in ["http://", "127.0.0.1", "admin", "AMQTOP_SECRET_PASSWORD", "/run/b1.pid"] {
            #expect(!text.contains(secret), "\(secret) in the metrics")
        }
    }

    @Test func aMasterGoneRaisesCriticalAlertsOncePerCode() {
        let text = Self.text(Self.state(masterAlive: false))
        #expect(Self.lines(text, "amqtop_group_status") == [#"amqtop_group_status{group="orders"} 2"#])
        let alerts = Self.lines(text, "amqtop_alert")
        #expect(alerts.contains(#"amqtop_alert{group="orders",code="NO_MASTER",severity="critical"} 1"#), "\(alerts)")
        #expect(Set(alerts).count == alerts.count, "one series per code and severity")
        #expect(Self.lines(text, "amqtop_broker_role").contains(#"amqtop_broker_role{group="orders",broker="b1",role="down"} 1"#))
        #expect(Self.lines(text, "amqtop_lock_holder_info").isEmpty, "a free lock has no holder")
    }

    @Test func aGroupNotYetPolledIsUnknown() {
        let state = AppState(config: AppConfig(groups: [Self.group()]), nowMillis: Self.now)
        let text = Self.text(state)
        #expect(Self.lines(text, "amqtop_group_status") == [#"amqtop_group_status{group="orders"} 3"#])
        #expect(Self.lines(text, "amqtop_broker_role").filter { $0.hasSuffix(" 1") }.allSatisfy { $0.contains(#"role="unknown""#) })
    }

    @Test func openMetricsNamesFamiliesWithoutSuffixesAndEndsWithEOF() {
        let text = Self.text(Self.state(), failovers: [Self.failover(.crash, outageMillis: 3000, at: Self.acquired)], format: .openMetrics)
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.components(separatedBy: "# EOF").count == 2, "exactly one # EOF")
        #expect(text.contains("# TYPE amqtop_failovers counter\n"))
        #expect(text.contains(#"amqtop_failovers_total{group="orders",cause="crash"} 1"#))
        #expect(text.contains("# TYPE amqtop_lock_holder info\n"))
        #expect(text.contains(#"amqtop_lock_holder_info{group="orders",broker="b1",host="host-a",pid="101"} 1"#))
        #expect(text.contains("# TYPE amqtop_time_without_master_seconds histogram\n"))
    }

    @Test func labelValuesAreEscaped() {
        let name = "a\"b\\c\nd"
        let text = Self.text(Self.state(group: Self.group(name)))
        #expect(text.contains(#"amqtop_group_status{group="a\"b\\c\nd"} 0"#))
        // No raw line feed inside a sample: every line is a comment or a whole sample.
        for line in text.split(separator: "\n") {
            #expect(line.hasPrefix("#") || line.hasPrefix("amqtop_"), "broken line: \(line)")
        }
        #expect(ExpositionWriter.escapeLabelValue("plain é") == "plain é")
    }

    @Test func failoverCountersComeFromTheRecordedHistoryWithEveryCauseFromZero() {
        let events = [
            Self.failover(.crash, outageMillis: 3000, at: Self.acquired),
            Self.failover(.crash, outageMillis: 700, at: Self.acquired + 60_000),
            Self.failover(.stop, outageMillis: 45_000, at: Self.acquired + 120_000),
            Self.failover(.crash, outageMillis: nil, at: Self.acquired + 180_000),
        ]
        let text = Self.text(Self.state(), failovers: events)
        #expect(Self.lines(text, "amqtop_failovers_total") == [
            #"amqtop_failovers_total{group="orders",cause="crash"} 3"#,
            #"amqtop_failovers_total{group="orders",cause="stop"} 1"#,
            #"amqtop_failovers_total{group="orders",cause="lockLost"} 0"#,
            #"amqtop_failovers_total{group="orders",cause="shutdown"} 0"#,
            #"amqtop_failovers_total{group="orders",cause="unknown"} 0"#,
        ])
        // The one still in progress (no new master serving yet) has no time without master.
        #expect(Self.lines(text, "amqtop_time_without_master_seconds_count") == [#"amqtop_time_without_master_seconds_count{group="orders"} 3"#])
        #expect(Self.lines(text, "amqtop_time_without_master_seconds_sum") == [#"amqtop_time_without_master_seconds_sum{group="orders"} 48.7"#])
        let buckets = Self.lines(text, "amqtop_time_without_master_seconds_bucket")
        #expect(buckets.contains(#"amqtop_time_without_master_seconds_bucket{group="orders",le="0.5"} 0"#))
        #expect(buckets.contains(#"amqtop_time_without_master_seconds_bucket{group="orders",le="1"} 1"#))
        #expect(buckets.contains(#"amqtop_time_without_master_seconds_bucket{group="orders",le="5"} 2"#))
        #expect(buckets.contains(#"amqtop_time_without_master_seconds_bucket{group="orders",le="30"} 2"#))
        #expect(buckets.contains(#"amqtop_time_without_master_seconds_bucket{group="orders",le="60"} 3"#))
        #expect(buckets.last == #"amqtop_time_without_master_seconds_bucket{group="orders",le="+Inf"} 3"#)
    }

    @Test func histogramBucketsAreCumulativeAndEndWithTheCount() {
        var histogram = Histogram(bounds: [1, 0.1, 10, 1])
        #expect(histogram.bounds == [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 2, 20, 30] { histogram.observe(value) }
        #expect(histogram.cumulativeCounts == [2, 3, 4])
        #expect(histogram.count == 6)
        var family = MetricFamily(name: "x_seconds", help: "h", kind: .histogram)
        family.add([MetricFamily.Label("k", "v")], histogram)
        let text = ExpositionWriter.text([family], format: .prometheus)
        #expect(text == """
            # HELP x_seconds h
            # TYPE x_seconds histogram
            x_seconds_bucket{k="v",le="0.1"} 2
            x_seconds_bucket{k="v",le="1"} 3
            x_seconds_bucket{k="v",le="10"} 4
            x_seconds_bucket{k="v",le="+Inf"} 6
            x_seconds_sum{k="v"} 52.65
            x_seconds_count{k="v"} 6

            """)
    }

    @Test func probeStatisticsCountErrorsByCodeAndEveryDuration() {
        var probes = ProbeStatistics()
        probes.record(group: "orders", BrokerObservation(name: "b2", jolokia: .failed(.timeout(afterMillis: 2000), atMillis: 1, latencyMillis: 2000)))
        probes.record(group: "orders", BrokerObservation(name: "b2", jolokia: .failed(.timeout(afterMillis: 2000), atMillis: 2, latencyMillis: 2000)))
        probes.record(group: "orders", BrokerObservation(name: "b1", jolokia: .failed(.auth(status: 401), atMillis: 3, latencyMillis: 5),
                                                         openwire: PortObservation(atMillis: 3, state: .open, latencyMillis: 1)))
        probes.roundCompleted()
        let text = Self.text(Self.state(), probes: probes)
        #expect(Self.lines(text, "amqtop_probe_errors_total") == [
            #"amqtop_probe_errors_total{group="orders",broker="b1",code="auth"} 1"#,
            #"amqtop_probe_errors_total{group="orders",broker="b2",code="timeout"} 2"#,
        ])
        #expect(Self.lines(text, "amqtop_probe_duration_seconds_count") == [
            #"amqtop_probe_duration_seconds_count{kind="jolokia"} 3"#,
            #"amqtop_probe_duration_seconds_count{kind="openwire"} 1"#,
        ])
        #expect(Self.lines(text, "amqtop_probe_duration_seconds_bucket").contains(#"amqtop_probe_duration_seconds_bucket{kind="jolokia",le="2.5"} 3"#))
        #expect(Self.lines(text, "amqtop_poll_rounds_total") == ["amqtop_poll_rounds_total 1"])
    }

    @Test(arguments: [
        (nil, ExpositionFormat.prometheus),
        ("text/plain", .prometheus),
        ("application/openmetrics-text", .openMetrics),
        // What Prometheus 2.x sends.
        ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
        ("text/plain;version=0.0.4;q=0.5, application/openmetrics-text; q=0", .prometheus),
    ] as [(String?, ExpositionFormat)])
    func acceptHeaderChoosesTheFormat(accept: String?, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    /// One scrape at the 300-broker fleet's size (100 groups of 3): time and bytes, printed for BENCHMARKS.md.
    @Test func aScrapeOf300BrokersIsCheap() {
        let groups = (1...100).map { i in
            GroupConfig(name: "g\(i)", lockFile: "/shared/g\(i)/lock", lockKeepAlivePeriodMillis: 2000,
                        brokers: (1...3).map { BrokerConfig(name: "g\(i)b\($0)", jolokia: "http://127.0.0.1:\(8000 + $0)/api/jolokia") })
        }
        var state = AppState(config: AppConfig(groups: groups), nowMillis: Self.now)
        var probes = ProbeStatistics()
        for group in groups {
            for (index, broker) in group.brokers.enumerated() {
                let observation = BrokerObservation(name: broker.name, jolokia: JolokiaObservation(atMillis: Self.now, latencyMillis: 3, slave: index != 0))
                _ = Reducer.reduce(&state, .brokerObservation(group: group.name, observation))
                probes.record(group: group.name, observation)
            }
        }
        let snapshot = MetricsSnapshot(state: state, failovers: [:], probes: probes, localHost: "h")
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = clock.measure {
            for _ in 0..<10 { bytes = ServeMetrics.text(snapshot, format: .prometheus).utf8.count }
        }
        let perScrape = elapsed / 10
        print("ServeMetrics: one scrape of 300 brokers: \(perScrape), \(bytes) bytes")
        #expect(bytes > 100_000)
        // A debug build; the goal (under 20 ms) is for release builds (BENCHMARKS.md).
        #expect(perScrape < .milliseconds(500))
    }
}
