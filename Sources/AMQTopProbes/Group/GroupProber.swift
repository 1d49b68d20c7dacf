import AMQTopCore
import NIOCore

/// Runs every probe of a configuration concurrently, each with its own deadline.
///
/// A broker that never answers costs its own probe the deadline and nothing else: all
/// probes of a round run side by side, so a round lasts about one deadline at worst. Which
/// implementation probes what is the router's business; this type only sees the seams.
public struct GroupProber: Sendable {
    /// Chooses the probes of each broker and the reader of each lock file.
    public let router: any ProbeRouting
    /// The brokers' `activemq.xml` files (`brokerXml:`), re-read on their own slow cadence.
    public let brokerFiles: BrokerXmlWatch
    /// The event loop local brokers' polls should run on (`Poller` gives their tasks a
    /// `PollExecutor` on it), or nil to leave them on the cooperative pool.
    public let pollLoop: (any EventLoop)?

    public init(router: any ProbeRouting, pollLoop: (any EventLoop)? = nil, brokerFiles: BrokerXmlWatch = BrokerXmlWatch()) {
        self.router = router
        self.pollLoop = pollLoop
        self.brokerFiles = brokerFiles
    }

    /// The usual local probes for `config` (see `LocalProbeRouter`), polled on the client's loop.
    public init(config: AppConfig, http: ProbeHTTPClient, executor: BlockingExecutor = BlockingExecutor(), clock: any AppClock = SystemClock()) {
        self.init(router: LocalProbeRouter(config: config, http: http, executor: executor, clock: clock), pollLoop: http.pollLoop)
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
                tasks.addTask { (index, await probeBroker(broker, in: group)) }
            }
            var results = [BrokerObservation?](repeating: nil, count: group.brokers.count)
            for await (index, observation) in tasks { results[index] = observation }
            return results.compactMap { $0 }
        }
        return GroupObservation(name: group.name, lock: await lockSnapshot, brokers: brokers)
    }

    /// The group's lock file within the deadline, or nil when none is configured.
    public func probeLock(_ group: GroupConfig) async -> LockFileSnapshot? {
        await router.lockRoute(for: group).reader.readLock(of: group)
    }

    /// The lock files of `groups` (those that have one), each snapshot handed to `deliver` as it
    /// is read or times out; returns what was really read, by group, when every read is done.
    ///
    /// Groups of one route are read in one call (see `LockReading.readLocks`), routes side by side.
    public func probeLocks(
        _ groups: [GroupConfig], deliver: @escaping @Sendable (String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        var routes: [String: (reader: any LockReading, groups: [GroupConfig])] = [:]
        var order: [String] = []
        for group in groups where group.lockFile != nil {
            let route = router.lockRoute(for: group)
            if routes[route.batch] == nil {
                routes[route.batch] = (route.reader, [])
                order.append(route.batch)
            }
            routes[route.batch]?.groups.append(group)
        }
        let batches = order.compactMap { routes[$0] }
        if batches.count == 1, let only = batches.first { return await only.reader.readLocks(of: only.groups, deliver: deliver) }
        return await withTaskGroup(of: [String: LockFileSnapshot].self) { tasks in
            for batch in batches {
                tasks.addTask { await batch.reader.readLocks(of: batch.groups, deliver: deliver) }
            }
            var read: [String: LockFileSnapshot] = [:]
            for await part in tasks { read.merge(part) { first, _ in first } }
            return read
        }
    }

    /// Sends the broker the endpoint's stop by the route its polls take (through its host, for
    /// a broker on another host), so a stop never needs to know where the broker runs.
    public func stopThroughEndpoint(_ broker: BrokerConfig, in group: GroupConfig) async -> JolokiaStopOutcome {
        await router.probes(for: broker, in: group).endpoint.stop(broker)
    }

    /// One broker: endpoint, transport port and process, concurrently; unconfigured ones stay nil.
    public func probeBroker(_ broker: BrokerConfig, in group: GroupConfig) async -> BrokerObservation {
        let probes = router.probes(for: broker, in: group)
        // No child task for what is not configured: with hundreds of brokers a round, they add
        // up. An `async let` is a child task even when it only yields nil, so a broker with
        // only an endpoint (the usual fleet) is polled straight in the caller's task.
        if broker.openwire == nil, broker.pidFile == nil, broker.brokerXml == nil {
            return BrokerObservation(name: broker.name, jolokia: await probes.endpoint.poll(broker), openwire: nil, process: nil)
        }
        async let endpoint = probes.endpoint.poll(broker)
        async let port: PortObservation? = broker.openwire == nil ? nil : probes.port.check(broker)
        async let process: ProcessObservation? = broker.pidFile == nil ? nil : probes.process.check(broker)
        // Read at most once a minute (cached between), so it costs a round nothing most of the time;
        // one on another host is waited for at most the watch's `waitMillis`.
        let file = broker.brokerXml == nil ? nil : await brokerFiles.reading(for: broker)
        return BrokerObservation(name: broker.name, jolokia: await endpoint, openwire: await port, process: await process, brokerFile: file)
    }
}
