import AMQTopActions
import AMQTopCore
import AMQTopProbes
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
    /// Every `brokerLog:`, local ones here and those of brokers with `host:` through their host's session.
    public let logFeed: RemoteBrokerLogFeed

    /// The prober for `config`; `http` is the process's shared client.
    ///
    /// `sshExecutable` is the OpenSSH client to run (tests pass a wrapper that runs it in a namespace).
    public static func make(
        config: AppConfig, http: ProbeHTTPClient, clock: any AppClock = SystemClock(), sshExecutable: String = "/usr/bin/ssh"
    ) throws -> RemoteAwareProber {
        let local = LocalProbeRouter(config: config, http: http, clock: clock)
        let pool = try HostPool(config: config, sshExecutable: sshExecutable)
        let jolokia = ForwardedJolokiaProbe(pool: pool, http: http, timeoutMillis: config.timeoutMillis, clock: clock)
        let checks = RemoteBrokerChecks(pool: pool, timeoutMillis: config.timeoutMillis, clock: clock)
        let locks = RemoteLockReader(pool: pool, timeoutMillis: config.timeoutMillis, clock: clock) { path in
            await local.lock.read(path: path)
        }
        let router = RemoteProbeRouter(
            local: local,
            remote: BrokerProbes(endpoint: jolokia, port: RemotePortCheck(checks: checks), process: RemoteProcessCheck(checks: checks)),
            lockReader: locks)
        // Brokers' `brokerXml:` on their hosts: bounded like a local one, waited for one deadline a round.
        let files = RemoteBrokerXml(reader: RemoteFileReader(
            pool: pool, timeoutMillis: max(config.timeoutMillis, 10_000), limitBytes: RemoteBrokerXml.limitBytes))
        let brokerFiles = BrokerXmlWatch(waitMillis: config.timeoutMillis) { host, path in
            try await files.load(host: host, path: path)
        }
        return RemoteAwareProber(
            prober: GroupProber(router: router, pollLoop: http.pollLoop, brokerFiles: brokerFiles), pool: pool, locks: locks,
            stopper: RemoteStopper(pool: pool, jolokia: jolokia, timeoutMillis: config.timeoutMillis),
            logFeed: RemoteBrokerLogFeed(config: config, pool: pool, timeoutMillis: config.timeoutMillis))
    }

    /// One round over every group, in configuration order.
    public func probeAll(_ config: AppConfig) async -> [GroupObservation] { await prober.probeAll(config) }

    /// The stop path's stopper: brokers with a `host:` stopped on their host, the others by `local`.
    public func stopRouter(local: StopExecutor) -> StopRouter { StopRouter(local: local, remote: stopper) }

    /// Opens every host's connection concurrently (bounded by `timeoutMillis`).
    public func connect(timeoutMillis: Int64) async { await pool.connectAll(timeoutMillis: timeoutMillis) }

    /// Closes every connection and removes the forward sockets.
    public func close() async { await pool.close() }
}
