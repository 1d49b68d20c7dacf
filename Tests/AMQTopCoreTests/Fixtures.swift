import AMQTopCore

/// Builders for observation tables: a group of brokers b1..bN and the signals each shows.
enum Fixtures {
    static let now: Int64 = 1_700_000_100_000
    static let acquired: Int64 = 1_700_000_000_000

    /// A group of `count` brokers named b1..bN, each with Jolokia, OpenWire and a pid file.
    static func group(
        count: Int = 3, keepAlive: Int64? = 2000, acquire: Int64 = 1000, pidFiles: Bool = true, openwire: Bool = true
    ) -> GroupConfig {
        GroupConfig(
            name: "orders", lockFile: "/shared/lock", lockKeepAlivePeriodMillis: keepAlive,
            lockAcquireSleepIntervalMillis: acquire,
            brokers: (1...count).map { i in
                BrokerConfig(
                    name: "b\(i)", jolokia: "http://127.0.0.1:\(8160 + i)/api/jolokia",
                    openwire: openwire ? HostPort(host: "127.0.0.1", port: 61615 + i) : nil,
                    pidFile: pidFiles ? "/run/b\(i).pid" : nil)
            })
    }

    /// The signals one broker shows in a table row.
    struct Signals {
        var slave: Bool??  // nil: not polled; .some(nil): answered without Slave
        var endpointError: EndpointError?
        var port: PortState?
        var pid: Int32?
        var process: ProcessObservation.State?
        var at: Int64 = now

        static func master(pid: Int32) -> Signals { Signals(slave: .some(false), port: .open, pid: pid, process: .alive) }
        static func slave(pid: Int32) -> Signals { Signals(slave: .some(true), port: .refused, pid: pid, process: .alive) }
        /// A stock slave: Jolokia refused (starts after the broker), port closed, process alive.
        static func silentSlave(pid: Int32?) -> Signals {
            Signals(endpointError: .refused, port: .refused, pid: pid, process: pid == nil ? nil : .alive)
        }
        static func dead(pid: Int32) -> Signals { Signals(endpointError: .refused, port: .refused, pid: pid, process: .dead) }
    }

    static func broker(_ name: String, _ s: Signals) -> BrokerObservation {
        var jolokia: JolokiaObservation?
        if let error = s.endpointError {
            jolokia = .failed(error, atMillis: s.at)
        } else if let slave = s.slave {
            jolokia = JolokiaObservation(atMillis: s.at, slave: slave, version: "5.17.2")
        }
        return BrokerObservation(
            name: name, jolokia: jolokia,
            openwire: s.port.map { PortObservation(atMillis: s.at, state: $0) },
            process: s.process.map { ProcessObservation(atMillis: s.at, pid: s.pid, state: $0) })
    }

    static func lock(
        holder: LockFileSnapshot.Holder, acquiredAt: Int64? = acquired, state: LockFileSnapshot.State = .ok,
        fs: FilesystemInfo? = FilesystemInfo(type: "ext4", mountPoint: "/"), mtime: Int64? = nil
    ) -> LockFileSnapshot {
        LockFileSnapshot(
            path: "/shared/lock", atMillis: now, state: state, size: 8, mtimeMillis: mtime ?? acquiredAt,
            device: 2049, inode: 42, acquiredAtMillis: acquiredAt, holder: holder, filesystem: fs)
    }

    static func observe(_ signals: [Signals], lock: LockFileSnapshot?) -> GroupObservation {
        GroupObservation(
            name: "orders", lock: lock,
            brokers: signals.enumerated().map { broker("b\($0.offset + 1)", $0.element) })
    }
}
