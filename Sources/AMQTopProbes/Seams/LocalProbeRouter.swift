import AMQTopCore

/// Routes every broker and lock to the probes that run on this host.
///
/// Today's only router: every broker is probed from here and every lock file read here.
/// A router for brokers on other hosts sends those elsewhere and the rest to one of these.
public struct LocalProbeRouter: ProbeRouting {
    public let jolokia: JolokiaProbe
    public let lock: LockFileProbe
    public let port: PortProbe
    public let pid: PidProbe

    /// The name of the single lock batch this router uses: every file is read on this host.
    public static let lockBatch = "local"

    public init(jolokia: JolokiaProbe, lock: LockFileProbe, port: PortProbe, pid: PidProbe) {
        self.jolokia = jolokia
        self.lock = lock
        self.port = port
        self.pid = pid
    }

    /// The usual local probes for `config`, on a shared HTTP client (whose event loops the port probe also uses).
    public init(
        config: AppConfig, http: ProbeHTTPClient, executor: BlockingExecutor = BlockingExecutor(), clock: any AppClock = SystemClock()
    ) {
        self.init(
            jolokia: JolokiaProbe(http: http, timeoutMillis: config.timeoutMillis, clock: clock),
            lock: LockFileProbe(executor: executor, timeoutMillis: config.timeoutMillis, clock: clock),
            port: PortProbe(eventLoopGroup: http.eventLoopGroup, timeoutMillis: config.timeoutMillis, clock: clock),
            pid: PidProbe(executor: executor, timeoutMillis: config.timeoutMillis, clock: clock))
    }

    public func probes(for broker: BrokerConfig, in group: GroupConfig) -> BrokerProbes {
        BrokerProbes(endpoint: jolokia, port: port, process: pid)
    }

    public func lockRoute(for group: GroupConfig) -> LockRoute {
        LockRoute(batch: Self.lockBatch, reader: lock)
    }
}
