/// One broker of a harness group: its name, ports and every path a test may want to look at.
///
/// A plain value, fixed when the group is laid out; what changes while it runs (its pid)
/// is asked of the group instead.
struct ActiveMQBroker: Hashable, Sendable {
    /// Broker name, `b1` ... `bN`; also the `brokerName` in its XML and MBean names.
    let name: String
    /// `ACTIVEMQ_BASE` of this broker.
    let baseDirectory: String
    /// Loopback address every listener of the harness binds to.
    let host = "127.0.0.1"
    /// Port of the OpenWire transport connector; only the master listens on it.
    let openWirePort: Int
    /// Port of the Jetty server that serves Jolokia.
    let jolokiaPort: Int

    /// `ACTIVEMQ_CONF`: holds `activemq.xml` and the logging configuration.
    var configurationDirectory: String { "\(baseDirectory)/conf" }
    /// The broker's Spring XML.
    var configurationFile: String { "\(configurationDirectory)/activemq.xml" }
    /// `ACTIVEMQ_DATA`: logs, pid file, the broker's own (non-shared) data.
    var dataDirectory: String { "\(baseDirectory)/data" }
    /// Jars joined to this broker's classpath (symlinks).
    var libraryDirectory: String { "\(baseDirectory)/lib" }
    /// Pid file the harness writes with the java pid, like the distribution's start script does.
    var pidFile: String { "\(dataDirectory)/activemq.pid" }
    /// The broker's log4j log.
    var logFile: String { "\(dataDirectory)/activemq.log" }
    /// The JVM's stdout and stderr (startup banner, crashes before logging is configured).
    var consoleFile: String { "\(dataDirectory)/console.log" }
    /// OpenWire address as host:port.
    var openWireAddress: String { "\(host):\(openWirePort)" }
    /// OpenWire URI as the product's config writes it.
    var openWireURI: String { "tcp://\(host):\(openWirePort)" }
    /// Jolokia base URL (no trailing slash).
    var jolokiaURL: String { "http://\(host):\(jolokiaPort)/api/jolokia" }
}
