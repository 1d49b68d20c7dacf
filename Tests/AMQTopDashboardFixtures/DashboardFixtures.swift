import AMQTopCore

/// Configurations and observations of three dashboard groups, at a fixed clock.
///
/// One copy for every suite that draws or reduces the dashboard (the screen snapshots and
/// the run loop's reducer tests): test targets cannot share a file, so the fixtures are a
/// plain target of their own, like `AMQTopTestSupport`.
public enum DashboardFixtures {
    /// 2025-11-23 17:20:00 UTC.
    public static let now: Int64 = 1_763_918_400_000
    public static let acquired: Int64 = now - 192_000

    public static func broker(_ name: String, port: Int) -> BrokerConfig {
        BrokerConfig(name: name, jolokia: "http://\(name):8161/api/jolokia", openwire: HostPort(host: name, port: port), pidFile: "/run/activemq/\(name).pid")
    }

    public static let prod = GroupConfig(
        name: "prod-east", lockFile: "/srv/amq/prod/kahadb/lock", lockKeepAlivePeriodMillis: 2000,
        lockAcquireSleepIntervalMillis: 10_000, brokers: [broker("b1", port: 61616), broker("b2", port: 61617), broker("b3", port: 61618)])
    public static let orders = GroupConfig(
        name: "orders", lockFile: "/mnt/nfs/orders/kahadb/lock", lockKeepAlivePeriodMillis: 0,
        brokers: [broker("o1", port: 61616), broker("o2", port: 61616)])
    public static let billing = GroupConfig(
        name: "billing", lockFile: "/srv/amq/billing/kahadb/lock", lockKeepAlivePeriodMillis: nil,
        brokers: [broker("bill1", port: 61616), broker("bill2", port: 61616)])

    public static func master(_ name: String, pid: Int32) -> BrokerObservation {
        BrokerObservation(
            name: name,
            jolokia: JolokiaObservation(atMillis: now - 300, latencyMillis: 12, slave: false, brokerName: name, version: "5.17.2", uptimeMillis: 3_723_000, connections: 42),
            openwire: PortObservation(atMillis: now - 300, state: .open),
            process: ProcessObservation(atMillis: now - 300, pid: pid, state: .alive))
    }

    public static func stockSlave(_ name: String, pid: Int32) -> BrokerObservation {
        BrokerObservation(
            name: name, jolokia: .failed(.refused, atMillis: now - 300),
            openwire: PortObservation(atMillis: now - 300, state: .refused),
            process: ProcessObservation(atMillis: now - 300, pid: pid, state: .alive))
    }

    public static func asyncSlave(_ name: String, pid: Int32) -> BrokerObservation {
        BrokerObservation(
            name: name,
            jolokia: JolokiaObservation(atMillis: now - 300, latencyMillis: 8, slave: true, version: "5.17.2", uptimeMillis: 3_700_000,
                                        attributeErrors: ["BrokerName": "Broker is not yet started."]),
            openwire: PortObservation(atMillis: now - 300, state: .refused),
            process: ProcessObservation(atMillis: now - 300, pid: pid, state: .alive))
    }

    public static func down(_ name: String) -> BrokerObservation {
        BrokerObservation(
            name: name, jolokia: .failed(.refused, atMillis: now - 300),
            openwire: PortObservation(atMillis: now - 300, state: .refused),
            process: ProcessObservation(atMillis: now - 300, pid: 999, state: .dead))
    }

    public static func lock(_ path: String, holder: LockFileSnapshot.Holder, fs: FilesystemInfo = FilesystemInfo(type: "ext4", mountPoint: "/srv")) -> LockFileSnapshot {
        LockFileSnapshot(path: path, atMillis: now - 100, state: .ok, size: 8, mtimeMillis: acquired, device: 2049, inode: 1234,
                         acquiredAtMillis: acquired, holder: holder, filesystem: fs)
    }

    /// A state with the given groups observed, as after one complete round.
    public static func state(_ groups: [GroupConfig], observations: [GroupObservation], width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(config: AppConfig(groups: groups), nowMillis: now - 5000, width: width, height: height)
        for observation in observations {
            if let lock = observation.lock { _ = Reducer.reduce(&state, .lockSnapshot(group: observation.name, lock)) }
            for broker in observation.brokers { _ = Reducer.reduce(&state, .brokerObservation(group: observation.name, broker)) }
        }
        _ = Reducer.reduce(&state, .roundComplete(atMillis: now - 250))
        _ = Reducer.reduce(&state, .tick(nowMillis: now))
        return state
    }

    /// A healthy prod group (b1 master, b2 silent stock slave, b3 async slave).
    public static let healthyProd = GroupObservation(
        name: "prod-east", lock: lock("/srv/amq/prod/kahadb/lock", holder: .pid(4242)),
        brokers: [master("b1", pid: 4242), stockSlave("b2", pid: 4243), asyncSlave("b3", pid: 4244)])

    /// Orders on NFSv3 with no master: the lock is free and both brokers are silent.
    public static let noMasterOrders = GroupObservation(
        name: "orders", lock: lock("/mnt/nfs/orders/kahadb/lock", holder: .free, fs: FilesystemInfo(type: "nfs", mountPoint: "/mnt/nfs", nfsVersion: "3")),
        brokers: [down("o1"), stockSlave("o2", pid: 5002)])

    /// Billing on OCFS2 where both brokers say Slave=false and serve OpenWire.
    public static let splitBilling = GroupObservation(
        name: "billing", lock: lock("/srv/amq/billing/kahadb/lock", holder: .pid(6001), fs: FilesystemInfo(type: "ocfs2", mountPoint: "/srv/amq")),
        brokers: [master("bill1", pid: 6001), master("bill2", pid: 6002)])

    /// The three groups, and the three of them observed, as the screen snapshots use them.
    public static let all3 = [prod, orders, billing]
    public static let all3Observed = [healthyProd, noMasterOrders, splitBilling]
}
