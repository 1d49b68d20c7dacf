import AMQTopCore
import AMQTopProbes

/// The pid file, process and OpenWire checks of a broker on its host, through the host's connection.
public struct RemoteBrokerChecks: Sendable {
    public let pool: HostPool
    public let timeoutMillis: Int64
    private let clock: any AppClock

    public init(pool: HostPool, timeoutMillis: Int64, clock: any AppClock = SystemClock()) {
        self.pool = pool
        self.timeoutMillis = timeoutMillis
        self.clock = clock
    }

    /// The broker's pid file and process on its host; `.unreachable("SSH to HOST: ...")` when
    /// the host cannot be asked, which leaves the role unknown, never down.
    public func process(_ broker: BrokerConfig) async -> ProcessObservation? {
        guard let host = broker.host, let file = broker.pidFile else { return nil }
        guard let connection = pool.connection(host), let script = RemoteScripts.pid(file: file) else {
            return ProcessObservation(atMillis: clock.nowMillis(), pid: nil, state: .unreadable("host \(host) not configured"), host: host)
        }
        switch await connection.run(script, timeoutMillis: timeoutMillis) {
        case .success(let reply): return RemoteParsers.process(reply.text, host: host, atMillis: clock.nowMillis())
        case .failure(let failure):
            // Not asked is not gone: the role stays unknown, with ssh's reason as the evidence.
            return ProcessObservation(atMillis: clock.nowMillis(), pid: nil, state: .unreachable(failure.message), host: host)
        }
    }

    /// Whether the OpenWire port listens on the broker's host (read from its socket tables; no connect).
    public func openwire(_ broker: BrokerConfig) async -> PortObservation? {
        guard let host = broker.host, let address = broker.openwire else { return nil }
        let started = Uptime.millis()
        guard let connection = pool.connection(host) else {
            return PortObservation(atMillis: clock.nowMillis(), state: .error("host \(host) not configured"))
        }
        switch await connection.run(RemoteScripts.tcpTables, timeoutMillis: timeoutMillis) {
        case .success(let reply):
            let open = RemoteParsers.listens(reply.text, port: address.port)
            return PortObservation(
                atMillis: clock.nowMillis(), state: open ? .open : .refused, latencyMillis: Uptime.millis() - started)
        case .failure(let failure):
            return PortObservation(atMillis: clock.nowMillis(), state: .error(failure.message), latencyMillis: Uptime.millis() - started)
        }
    }
}

/// The process seam for brokers on other hosts: the pid file and `/proc/PID` read there.
public struct RemoteProcessCheck: ProcessChecking {
    public let checks: RemoteBrokerChecks
    public init(checks: RemoteBrokerChecks) { self.checks = checks }
    public func check(_ broker: BrokerConfig) async -> ProcessObservation? { await checks.process(broker) }
}

/// The port seam for brokers on other hosts: LISTEN in the host's own socket tables.
public struct RemotePortCheck: PortChecking {
    public let checks: RemoteBrokerChecks
    public init(checks: RemoteBrokerChecks) { self.checks = checks }
    public func check(_ broker: BrokerConfig) async -> PortObservation? { await checks.openwire(broker) }
}
