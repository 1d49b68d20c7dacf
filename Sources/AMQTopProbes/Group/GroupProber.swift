import AMQTopCore

/// Runs every probe of a configuration concurrently, each with its own deadline.
///
/// A broker that never answers costs its own probe the deadline and nothing else: all
/// probes of a round run side by side, so a round lasts about one deadline at worst.
public struct GroupProber: Sendable {
    public let jolokia: JolokiaProbe
    public let lock: LockFileProbe
    public let port: PortProbe
    public let pid: PidProbe

    public init(jolokia: JolokiaProbe, lock: LockFileProbe, port: PortProbe, pid: PidProbe) {
        self.jolokia = jolokia
        self.lock = lock
        self.port = port
        self.pid = pid
    }

    /// The usual probes for `config`, on a shared HTTP client (whose event loops the port probe also uses).
    public init(config: AppConfig, http: ProbeHTTPClient, executor: BlockingExecutor = BlockingExecutor()) {
        self.init(
            jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis),
            lock: LockFileProbe(executor: executor, timeoutMillis: config.timeoutMillis),
            port: PortProbe(eventLoopGroup: http.eventLoopGroup, timeoutMillis: config.timeoutMillis),
            pid: PidProbe(executor: executor, timeoutMillis: config.timeoutMillis))
    }

    /// One round over every group of `config`, in configuration order.
    public func probeAll(_ config: AppConfig) async -> [GroupObservation] {
        await withTaskGroup(of: (Int, GroupObservation).self) { tasks in
            for (index, group) in config.groups.enumerated() {
                tasks.addTask { (index, await probeGroup(group)) }
            }
            var results = [GroupObservation?](repeating: nil, count: config.groups.count)
            for await (index, observation) in tasks { results[index] = observation }
            return results.compactMap { $0 }
        }
    }

    /// One round over a group: its lock file and all its brokers, concurrently.
    public func probeGroup(_ group: GroupConfig) async -> GroupObservation {
        async let lockSnapshot = probeLock(group)
        let brokers = await withTaskGroup(of: (Int, BrokerObservation).self) { tasks in
            for (index, broker) in group.brokers.enumerated() {
                tasks.addTask { (index, await probeBroker(broker)) }
            }
            var results = [BrokerObservation?](repeating: nil, count: group.brokers.count)
            for await (index, observation) in tasks { results[index] = observation }
            return results.compactMap { $0 }
        }
        return GroupObservation(name: group.name, lock: await lockSnapshot, brokers: brokers)
    }

    /// The group's lock file, or nil when none is configured.
    public func probeLock(_ group: GroupConfig) async -> LockFileSnapshot? {
        guard let path = group.lockFile else { return nil }
        return await lock.read(path: path)
    }

    /// The lock files of `groups` (those that have one) read in one job, each snapshot handed
    /// to `deliver` as it is read or times out; returns what was really read, by group, when done.
    public func probeLocks(
        _ groups: [GroupConfig], deliver: @escaping @Sendable (String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        await lock.readBatch(groups.compactMap { group in group.lockFile.map { (group.name, $0) } }, deliver: deliver)
    }

    /// One broker: Jolokia, OpenWire port and pid file, concurrently; unconfigured ones stay nil.
    public func probeBroker(_ broker: BrokerConfig) async -> BrokerObservation {
        async let jolokiaObservation = jolokia.poll(broker)
        async let portObservation: PortObservation? = broker.openwire == nil ? nil : probePort(broker)
        async let processObservation: ProcessObservation? = broker.pidFile == nil ? nil : probePid(broker)
        return BrokerObservation(
            name: broker.name, jolokia: await jolokiaObservation, openwire: await portObservation,
            process: await processObservation)
    }

    private func probePort(_ broker: BrokerConfig) async -> PortObservation? {
        guard let target = broker.openwire else { return nil }
        return await port.probe(target)
    }

    private func probePid(_ broker: BrokerConfig) async -> ProcessObservation? {
        guard let file = broker.pidFile else { return nil }
        return await pid.probe(pidFile: file)
    }
}
