import Foundation

/// Writes log lines the way a real ActiveMQ 5.17.2 broker does (log4j's upstream pattern), in
/// UTC, for the reconstruction tables: each helper is one of the brokers' real messages.
struct BrokerLogWriter {
    var name: String
    var lock = "/srv/san/orders/lock"
    private(set) var lines: [String] = []

    init(_ name: String) { self.name = name }

    var text: String { lines.joined(separator: "\n") + "\n" }

    /// `2026-12-01 09:00:SS,mmm` for `millis` after 09:00:00 UTC.
    static func stamp(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: 1_796_115_600 + Double(millis) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
        return formatter.string(from: date)
    }

    /// The epoch milliseconds of `stamp(millis)`.
    static func epoch(_ millis: Int64) -> Int64 { 1_796_115_600_000 + millis }

    mutating func line(_ at: Int64, _ message: String, level: String = "INFO ", category: String = "org.apache.activemq.broker.BrokerService", thread: String = "main") {
        lines.append("\(Self.stamp(at)) | \(level) | \(message) | \(category) | \(thread)")
    }

    mutating func context(_ at: Int64) {
        line(at, "Refreshing org.apache.activemq.xbean.XBeanBrokerFactory$1@369f73a2: startup date [Tue Dec 01 09:00:00 UTC 2026]; root of context hierarchy",
             category: "org.apache.activemq.xbean.XBeanBrokerFactory$1")
        line(at + 5, "Using Persistence Adapter: KahaDBPersistenceAdapter[/srv/san/orders]")
    }

    mutating func waits(_ at: Int64) {
        line(at, "Database \(lock) is locked by another server. This broker is now in slave mode waiting a lock to be acquired",
             category: "org.apache.activemq.store.SharedFileLocker")
    }

    mutating func recovers(_ at: Int64) {
        line(at, "Page File: /srv/san/orders/db.data. Recovering pageFile free list due to prior unclean shutdown..",
             category: "org.apache.activemq.store.kahadb.disk.page.PageFile", thread: "KahaDB Index Free Page Recovery")
    }

    mutating func starts(_ at: Int64, run: Int = 1) {
        line(at, "KahaDB is version 7", category: "org.apache.activemq.store.kahadb.MessageDatabase")
        line(at + 10, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) is starting")
        line(at + 20, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) started")
    }

    mutating func shutsDown(_ at: Int64, run: Int = 1) {
        line(at, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) is shutting down", thread: "RMI TCP Connection(2)-127.0.0.1")
        line(at + 30, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) uptime 1 minute", thread: "RMI TCP Connection(2)-127.0.0.1")
        line(at + 35, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) is shutdown", thread: "RMI TCP Connection(2)-127.0.0.1")
    }

    /// The keep-alive's four lines, in the order a real broker wrote them after a `touch` of its lock.
    mutating func givesUp(_ at: Int64, run: Int = 1) {
        line(at, "Lock file \(lock), locked at Tue Dec 01 09:00:00 UTC 2026, has been modified at Tue Dec 01 09:01:00 UTC 2026",
             category: "org.apache.activemq.util.LockFile", thread: "ActiveMQ Lock KeepAlive Timer")
        line(at + 2, "\(name), no longer able to keep the exclusive lock so giving up being a master", level: "ERROR",
             category: "org.apache.activemq.broker.LockableServiceSupport", thread: "ActiveMQ Lock KeepAlive Timer")
        line(at + 10, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) is shutting down", thread: "ActiveMQ Lock KeepAlive Timer")
        line(at + 35, "Apache ActiveMQ 5.17.2 (\(name), ID:host-4\(run)-1796115600000-0:\(run)) is shutdown", thread: "ActiveMQ Lock KeepAlive Timer")
    }

    /// A stack trace continuation: outside the pattern, counted as unknown.
    mutating func trace() {
        lines.append("java.io.IOException: Stale file handle")
        lines.append("\tat org.apache.activemq.util.LockFile.keepAlive(LockFile.java:212)")
    }
}
