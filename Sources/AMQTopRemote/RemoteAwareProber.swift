import AMQTopCore
import AMQTopProbes
import AsyncHTTPClient
import Foundation

/// amqtop's prober for a configuration where some brokers run on other hosts: a `GroupProber`
/// over `RemoteProbeRouter`, the hosts' connections, and the stop through the hosts.
///
/// Build it with `make` where `GroupProber(config:http:)` was built; call `connect` before a
/// one-off round (`status`) and `close` when done.
public struct RemoteAwareProber: Sendable {
    public let prober: GroupProber
    public let pool: HostPool
    public let locks: RemoteLockReader
    /// Stops brokers on their hosts (signal, command, or Jolokia through the forward).
    public let stopper: RemoteStopper
    private let findings = FindingStore()

    /// The prober for `config`; `http` is the process's shared client.
    ///
    /// `sshExecutable` is the OpenSSH client to run (tests pass a wrapper that runs it in a namespace).
    public static func make(
        config: AppConfig, http: ProbeHTTPClient, clock: any AppClock = SystemClock(), sshExecutable: String = "/usr/bin/ssh"
    ) throws -> RemoteAwareProber {
        let local = LocalProbeRouter(config: config, http: http, clock: clock)
        let pool = try HostPool(config: config, sshExecutable: sshExecutable)
        let jolokia = ForwardedJolokiaProbe(pool: pool, http: http.client, timeoutMillis: config.timeoutMillis, clock: clock)
        let checks = RemoteBrokerChecks(pool: pool, timeoutMillis: config.timeoutMillis, clock: clock)
        let locks = RemoteLockReader(pool: pool, timeoutMillis: config.timeoutMillis, clock: clock) { path in
            await local.lock.read(path: path)
        }
        let router = RemoteProbeRouter(
            local: local,
            remote: BrokerProbes(endpoint: jolokia, port: RemotePortCheck(checks: checks), process: RemoteProcessCheck(checks: checks)),
            lockReader: locks)
        return RemoteAwareProber(
            prober: GroupProber(router: router), pool: pool, locks: locks,
            stopper: RemoteStopper(pool: pool, jolokia: jolokia, timeoutMillis: config.timeoutMillis))
    }

    /// One round over every group, in configuration order; findings of remote groups recorded.
    public func probeAll(_ config: AppConfig) async -> [GroupObservation] {
        let observations = await prober.probeAll(config)
        record(config: config, observations: observations)
        return observations
    }

    /// Records the findings of a round (also for rounds the poller ran).
    public func record(config: AppConfig, observations: [GroupObservation]) {
        for group in config.groups where !group.hostNames.isEmpty {
            guard let observation = observations.first(where: { $0.name == group.name }) else { continue }
            findings.set(group.name, Self.findings(group: group, observation: observation, notes: group.lockFile.map(locks.notes(for:))))
        }
    }

    /// The latest round's findings of every group, by group name.
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
