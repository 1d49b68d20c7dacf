/// How a test wants its shared-file master/slave group built.
///
/// Hashable so that tests asking for the same options can share one started group
/// (see ``SharedActiveMQGroups``).
struct ActiveMQGroupOptions: Hashable, Sendable {
    /// Group name written into `amqtop.yaml`.
    var name = "itest"
    /// Number of brokers, named `b1` ... `bN`.
    var count = 3
    /// KahaDB's `lockKeepAlivePeriod`: how often the master re-checks its lock and the lock file's mtime.
    var lockKeepAlivePeriod: Duration = .milliseconds(2000)
    /// The shared-file locker's `lockAcquireSleepInterval`: how often a slave retries `tryLock`.
    var lockAcquireSleepInterval: Duration = .milliseconds(1000)
    /// Serve Jolokia from a Jetty bean declared before `<broker>` (slaves answer, `Slave=true`)
    /// instead of after it (the stock behaviour: only the master answers).
    var jolokiaBeforeBroker = true
    /// `-Xmx` of each broker JVM in MiB; 192 keeps three brokers light on a 2-core CI machine.
    var maxHeapMegabytes = 192

    /// The defaults: three brokers, 2 s keep-alive, 1 s lock retries, Jolokia before the broker.
    init() {}

    /// Options that differ from the defaults only where a test needs them to.
    init(
        name: String = "itest",
        count: Int = 3,
        lockKeepAlivePeriod: Duration = .milliseconds(2000),
        lockAcquireSleepInterval: Duration = .milliseconds(1000),
        jolokiaBeforeBroker: Bool = true,
        maxHeapMegabytes: Int = 192
    ) {
        self.name = name
        self.count = count
        self.lockKeepAlivePeriod = lockKeepAlivePeriod
        self.lockAcquireSleepInterval = lockAcquireSleepInterval
        self.jolokiaBeforeBroker = jolokiaBeforeBroker
        self.maxHeapMegabytes = maxHeapMegabytes
    }
}

extension Duration {
    /// Whole milliseconds, as ActiveMQ's XML attributes expect them.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
