import AMQTopCore

/// Builders for failover sequences: a group b1..bN and what each broker shows at each poll.
enum HistoryFixtures {
    /// The origin of every sequence; step times are seconds after it.
    static let t0: Int64 = 1_800_000_000_000

    /// Epoch milliseconds `seconds` after `t0`.
    static func at(_ seconds: Double) -> Int64 { t0 + Int64((seconds * 1000).rounded()) }

    /// A group of brokers b1..bN, each with Jolokia, OpenWire and a pid file.
    static func group(count: Int = 3, lockFile: Bool = true) -> GroupConfig {
        GroupConfig(
            name: "orders", lockFile: lockFile ? "/shared/lock" : nil, lockKeepAlivePeriodMillis: 2000,
            lockAcquireSleepIntervalMillis: 1000,
            brokers: (1...count).map { i in
                BrokerConfig(
                    name: "b\(i)", jolokia: "http://127.0.0.1:\(8160 + i)/api/jolokia",
                    openwire: HostPort(host: "127.0.0.1", port: 61615 + i), pidFile: "/run/b\(i).pid")
            })
    }

    /// What one broker shows at one poll.
    enum Shows: Sendable {
        /// Slave=false, OpenWire open, process alive.
        case master(Int32)
        /// Slave=true, OpenWire refused, process alive.
        case slave(Int32)
        /// A stock slave: endpoint refused, port refused, process alive.
        case silent(Int32)
        /// Killed: endpoint and port refused, the pid file names a dead process.
        case dead(Int32)
        /// Stopped cleanly: endpoint and port refused, the pid file removed.
        case stopped
        /// A master that misses a poll: the connection resets, the port times out, the process lives.
        case missedPoll(Int32)
    }

    /// What the lock file shows at one poll.
    enum Lock: Sendable {
        case held(acquiredAt: Int64, pid: Int32)
        case free(acquiredAt: Int64)
        /// The lock read before the brokers' answers of the same step (a lagging lock poll).
        case heldReadEarly(acquiredAt: Int64, pid: Int32, readAt: Int64)
    }

    /// One poll of the group.
    struct Step: Sendable {
        var seconds: Double
        var lock: Lock?
        var brokers: [Shows]
        /// amqtop sent this broker a stop just before this poll.
        var stopSent: String? = nil
    }

    static func broker(_ name: String, _ shows: Shows, at: Int64) -> BrokerObservation {
        func obs(_ jolokia: JolokiaObservation, _ port: PortState, _ pid: Int32?, _ state: ProcessObservation.State) -> BrokerObservation {
            BrokerObservation(
                name: name, jolokia: jolokia, openwire: PortObservation(atMillis: at, state: port),
                process: ProcessObservation(atMillis: at, pid: pid, state: state))
        }
        switch shows {
        case .master(let pid): return obs(JolokiaObservation(atMillis: at, slave: false), .open, pid, .alive)
        case .slave(let pid): return obs(JolokiaObservation(atMillis: at, slave: true), .refused, pid, .alive)
        case .silent(let pid): return obs(.failed(.refused, atMillis: at), .refused, pid, .alive)
        case .dead(let pid): return obs(.failed(.refused, atMillis: at), .refused, pid, .dead)
        case .stopped: return obs(.failed(.refused, atMillis: at), .refused, nil, .noPidFile)
        case .missedPoll(let pid): return obs(.failed(.connection("reset by peer"), atMillis: at), .timeout, pid, .alive)
        }
    }

    static func observation(_ step: Step) -> GroupObservation {
        let now = at(step.seconds)
        let lock: LockFileSnapshot? = step.lock.map { lock in
            switch lock {
            case .held(let acquiredAt, let pid):
                LockFileSnapshot(path: "/shared/lock", atMillis: now, state: .ok, size: 8, acquiredAtMillis: acquiredAt, holder: .pid(pid))
            case .free(let acquiredAt):
                LockFileSnapshot(path: "/shared/lock", atMillis: now, state: .ok, size: 8, acquiredAtMillis: acquiredAt, holder: .free)
            case .heldReadEarly(let acquiredAt, let pid, let readAt):
                LockFileSnapshot(path: "/shared/lock", atMillis: readAt, state: .ok, size: 8, acquiredAtMillis: acquiredAt, holder: .pid(pid))
            }
        }
        return GroupObservation(
            name: "orders", lock: lock,
            brokers: step.brokers.enumerated().map { broker("b\($0.offset + 1)", $0.element, at: now) })
    }

    /// What a sequence left in a store that upserts by key: the last version of each record.
    struct Outcome {
        var failovers: [FailoverEvent] = []
        var tenures: [Tenure] = []
        var splitBrains: [SplitBrainEpisode] = []
        /// Every update in order, to check how often a record was written.
        var updates: [HistoryUpdate] = []

        mutating func apply(_ update: HistoryUpdate) {
            updates.append(update)
            switch update {
            case .failover(let event):
                if let i = failovers.firstIndex(where: { $0.key == event.key }) { failovers[i] = event } else { failovers.append(event) }
            case .tenure(let tenure):
                if let i = tenures.firstIndex(where: { $0.key == tenure.key }) { tenures[i] = tenure } else { tenures.append(tenure) }
            case .splitBrain(let episode):
                if let i = splitBrains.firstIndex(where: { $0.key == episode.key }) {
                    splitBrains[i] = episode
                } else {
                    splitBrains.append(episode)
                }
            }
        }
    }

    /// Runs a sequence through a fresh detector, assessing each observation as the dashboard does.
    static func run(_ steps: [Step], group: GroupConfig = group()) -> Outcome {
        var detector = FailoverDetector(group: group.name)
        var outcome = Outcome()
        for step in steps {
            let now = at(step.seconds)
            if let broker = step.stopSent { detector.noteStop(broker: broker, atMillis: now - 500) }
            let observation = observation(step)
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: now)
            for update in detector.observe(observation, assessment: assessment, nowMillis: now) { outcome.apply(update) }
        }
        return outcome
    }
}
