import AMQTopCore
import AMQTopProbes
import AsyncHTTPClient
import Foundation

/// Probes a configuration where some brokers run on other hosts: those through their host's
/// connection, the rest (and groups without hosts) with the local `GroupProber` as before.
public struct RemoteAwareProber: Sendable {
    public let local: GroupProber
    public let pool: HostPool
    public let checks: RemoteBrokerChecks
    public let jolokia: ForwardedJolokiaProbe
    public let locks: RemoteLockReader
    /// Stops brokers on their hosts (signal, command, or Jolokia through the forward).
    public let stopper: RemoteStopper
    private let findings = FindingStore()

    /// The prober for `config`; `http` is the process's shared client.
    ///
    /// `sshExecutable` is the OpenSSH client to run (tests pass a wrapper that runs it in a namespace).
    public static func make(config: AppConfig, http: ProbeHTTPClient, sshExecutable: String = "/usr/bin/ssh") throws -> RemoteAwareProber {
        let local = GroupProber(config: config, http: http)
        let pool = try HostPool(config: config, sshExecutable: sshExecutable)
        let jolokia = ForwardedJolokiaProbe(pool: pool, http: http.client, timeoutMillis: config.timeoutMillis)
        return RemoteAwareProber(
            local: local, pool: pool,
            checks: RemoteBrokerChecks(pool: pool, timeoutMillis: config.timeoutMillis),
            jolokia: jolokia,
            locks: RemoteLockReader(pool: pool, timeoutMillis: config.timeoutMillis) { path in await local.lock.read(path: path) },
            stopper: RemoteStopper(pool: pool, jolokia: jolokia, timeoutMillis: config.timeoutMillis))
    }

    /// One round over every group, in configuration order.
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

    /// One group: the lock through its hosts (or locally), every broker concurrently.
    public func probeGroup(_ group: GroupConfig) async -> GroupObservation {
        guard !group.hostNames.isEmpty else { return await local.probeGroup(group) }
        async let lock = locks.read(group)
        let brokers = await withTaskGroup(of: (Int, BrokerObservation).self) { tasks in
            for (index, broker) in group.brokers.enumerated() {
                tasks.addTask { (index, await probeBroker(broker)) }
            }
            var results = [BrokerObservation?](repeating: nil, count: group.brokers.count)
            for await (index, observation) in tasks { results[index] = observation }
            return results.compactMap { $0 }
        }
        let observation = GroupObservation(name: group.name, lock: await lock, brokers: brokers)
        findings.set(group.name, Self.findings(group: group, observation: observation, notes: group.lockFile.map(locks.notes(for:))))
        return observation
    }

    /// The latest round's findings of every group, in no particular order.
    public var remoteFindings: [RemoteFinding] { findings.all }

    /// Findings for one group's round: views that disagree; a held lock nobody lists while nobody serves.
    static func findings(
        group: GroupConfig, observation: GroupObservation, notes: (disagreement: String?, orphanedHold: String?)?
    ) -> [RemoteFinding] {
        var result: [RemoteFinding] = []
        if let detail = notes?.disagreement, let path = group.lockFile {
            result.append(.disagreement(group: group.name, path: path, detail: detail))
        }
        let serving = observation.brokers.contains { broker in
            broker.jolokia?.slave == false || broker.openwire?.state.isOpen == true
        }
        if let detail = notes?.orphanedHold, !serving {
            result.append(.stuck(group: group.name, detail: detail))
        }
        return result
    }

    /// One broker: through its host when it has one, else locally.
    public func probeBroker(_ broker: BrokerConfig) async -> BrokerObservation {
        guard broker.host != nil else { return await local.probeBroker(broker) }
        async let endpoint = jolokia.poll(broker)
        async let port = checks.openwire(broker)
        async let process = checks.process(broker)
        return BrokerObservation(name: broker.name, jolokia: await endpoint, openwire: await port, process: await process)
    }

    /// Opens every host's connection concurrently (bounded by `timeoutMillis`).
    public func connect(timeoutMillis: Int64) async { await pool.connectAll(timeoutMillis: timeoutMillis) }

    /// Closes every connection and removes the forward sockets.
    public func close() async { await pool.close() }
}

/// The latest findings per group.
private final class FindingStore: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var values: [String: [RemoteFinding]] = [:]

    var all: [RemoteFinding] { lock.withLock { values.keys.sorted().flatMap { values[$0] ?? [] } } }

    func set(_ group: String, _ findings: [RemoteFinding]) { lock.withLock { values[group] = findings } }
}
