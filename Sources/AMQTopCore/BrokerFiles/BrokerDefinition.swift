/// One `<broker>` as its `activemq.xml` defines it: what amqtop needs to watch it.
public struct BrokerDefinition: Equatable, Sendable {
    /// One `<transportConnector>`.
    public struct Connector: Equatable, Sendable {
        public var name: String?
        public var uri: String

        public init(name: String?, uri: String) {
            self.name = name
            self.uri = uri
        }
    }

    /// The file it came from, and the line of its `<broker>` element.
    public var file: String
    public var line: Int
    /// `brokerName` (ActiveMQ's default is `localhost`).
    public var brokerName: String
    public var store: BrokerStore
    /// `useLock` of the store (default true); false means no exclusion at all.
    public var useLock: Bool
    /// `lockKeepAlivePeriod` in ms (default 0 = off).
    public var lockKeepAlivePeriodMillis: Int64
    /// The shared-file locker's `lockAcquireSleepInterval` in ms (default 10 s).
    public var lockAcquireSleepIntervalMillis: Int64
    public var connectors: [Connector]
    /// The OpenWire connector's address, a wildcard bind address replaced by 127.0.0.1.
    public var openwire: HostPort?
    /// The Jolokia URL of the broker's web console, when its files say where it listens.
    public var jolokia: String?
    /// Things worth a comment: defaults assumed, placeholders left, addresses rewritten.
    public var notes: [String]
    /// The host the file was read on (`HOST:PATH`), whose view its paths and addresses are; nil for this host.
    public var host: String? = nil

    public init(
        file: String, line: Int, brokerName: String, store: BrokerStore, useLock: Bool = true,
        lockKeepAlivePeriodMillis: Int64 = 0,
        lockAcquireSleepIntervalMillis: Int64 = BrokerDefinition.defaultAcquireSleepIntervalMillis,
        connectors: [Connector] = [], openwire: HostPort? = nil, jolokia: String? = nil, notes: [String] = []
    ) {
        self.file = file
        self.line = line
        self.brokerName = brokerName
        self.store = store
        self.useLock = useLock
        self.lockKeepAlivePeriodMillis = lockKeepAlivePeriodMillis
        self.lockAcquireSleepIntervalMillis = lockAcquireSleepIntervalMillis
        self.connectors = connectors
        self.openwire = openwire
        self.jolokia = jolokia
        self.notes = notes
    }

    /// ActiveMQ's `SharedFileLocker` default retry interval.
    public static let defaultAcquireSleepIntervalMillis: Int64 = 10_000

    /// `brokerName (file)`, how messages name a broker.
    public var label: String { "\(brokerName) (\(file))" }
}
