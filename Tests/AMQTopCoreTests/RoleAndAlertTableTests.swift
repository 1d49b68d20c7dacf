import Testing
@testable import AMQTopCore

/// Each row: a group's observations in, the roles, master, status and alert codes out.
struct RoleAndAlertTableTests {
    typealias S = Fixtures.Signals

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var group: GroupConfig = Fixtures.group()
        var brokers: [S]
        var lock: LockFileSnapshot?
        var roles: [Role]
        var master: String?
        var status: Severity
        var codes: [Alert.Code]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "healthy: master by Slave=false, port and lock; two answering slaves",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .slave, .slave], master: "b1", status: .ok, codes: []),
        Row(name: "stock slaves: endpoints refused, processes alive -> slave, not down",
            brokers: [.master(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .slave, .slave], master: "b1", status: .ok, codes: []),
        Row(name: "stock slaves without pid files -> unknown, never down; no standby can be confirmed",
            group: Fixtures.group(pidFiles: false),
            brokers: [S(slave: .some(false), port: .open), .silentSlave(pid: nil), .silentSlave(pid: nil)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .unknown, .unknown], master: "b1", status: .warning, codes: [.noStandbyConfirmed]),
        Row(name: "no master: everyone silent, lock free",
            brokers: [.silentSlave(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)],
            lock: Fixtures.lock(holder: .free),
            roles: [.slave, .slave, .slave], master: nil, status: .critical, codes: [.noMaster]),
        Row(name: "two masters claim Slave=false: split brain",
            brokers: [.master(pid: 101), .master(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .master, .slave], master: nil, status: .critical, codes: [.splitBrain]),
        Row(name: "lock re-acquired while the old master still claims master: split brain",
            brokers: [S(slave: .some(false), port: .open, at: Fixtures.now), .master(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(102), acquiredAt: Fixtures.now - 500),
            roles: [.master, .master, .slave], master: nil, status: .critical, codes: [.splitBrain]),
        Row(name: "an old master's claim seen before the lock moved does not count",
            brokers: [S(slave: .some(false), port: .open, at: Fixtures.now - 900), .master(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(102), acquiredAt: Fixtures.now - 500),
            roles: [.unknown, .master, .slave], master: "b2", status: .ok, codes: []),
        Row(name: "master serving while another pid holds the lock",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(102)),
            roles: [.master, .slave, .slave], master: "b1", status: .critical, codes: [.masterNotLockHolder]),
        Row(name: "master serving while nobody holds the lock",
            brokers: [S(slave: .some(false), port: .open, pid: 101, process: .alive), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .free),
            roles: [.master, .slave, .slave], master: "b1", status: .critical, codes: [.lockNotHeld]),
        Row(name: "lock file missing",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .free, acquiredAt: nil, state: .missing, fs: nil),
            roles: [.master, .slave, .slave], master: "b1", status: .critical, codes: [.lockMissing]),
        Row(name: "lock held by a process that is none of the brokers",
            brokers: [.silentSlave(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(999)),
            roles: [.slave, .slave, .slave], master: nil, status: .critical, codes: [.noMaster, .foreignLockHolder]),
        Row(name: "a broker down, the rest fine",
            brokers: [.master(pid: 101), .dead(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .down, .slave], master: "b1", status: .warning, codes: [.brokerDown]),
        Row(name: "every standby down: no failover possible",
            brokers: [.master(pid: 101), .dead(pid: 102), .dead(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .down, .down], master: "b1", status: .warning, codes: [.brokerDown, .brokerDown, .noStandby]),
        Row(name: "NFSv3 under the lock",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101), fs: FilesystemInfo(type: "nfs", nfsVersion: "3")),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.nfs3]),
        Row(name: "OCFS2 under the lock",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101), fs: FilesystemInfo(type: "ocfs2")),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.ocfs2]),
        Row(name: "NFSv4 with keep-alive off",
            group: Fixtures.group(keepAlive: 0),
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs4", nfsVersion: "4.2")),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.keepAliveOff]),
        Row(name: "NFSv4 with keep-alive not stated",
            group: Fixtures.group(keepAlive: nil),
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs", nfsVersion: "4.1")),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.keepAliveOff]),
        Row(name: "NFSv4 with keep-alive close to the lease",
            group: Fixtures.group(keepAlive: 60_000),
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs4", nfsVersion: "4.2")),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.keepAliveVsLease]),
        Row(name: "NFSv4 with keep-alive well under the lease is fine",
            group: Fixtures.group(keepAlive: 5000),
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs4", nfsVersion: "4.2")),
            roles: [.master, .slave, .slave], master: "b1", status: .ok, codes: []),
        Row(name: "keep-alive off on a local disk is no hazard",
            group: Fixtures.group(keepAlive: 0),
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .slave, .slave], master: "b1", status: .ok, codes: []),
        Row(name: "somebody touched the lock file",
            brokers: [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(101), mtime: Fixtures.acquired + 60_000),
            roles: [.master, .slave, .slave], master: "b1", status: .warning, codes: [.lockTouched]),
        Row(name: "an endpoint timing out is a warning, its broker unknown",
            group: Fixtures.group(pidFiles: false),
            brokers: [S(slave: .some(false), port: .open), S(endpointError: .timeout(afterMillis: 2000), port: .refused), S(slave: .some(true), port: .refused)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master, .unknown, .slave], master: "b1", status: .warning, codes: [.brokerUnreachable]),
        Row(name: "the new master holds the lock and still sleeps its keep-alive: master by lock",
            brokers: [.dead(pid: 101), S(endpointError: .refused, port: .refused, pid: 102, process: .alive), .silentSlave(pid: 103)],
            lock: Fixtures.lock(holder: .pid(102), acquiredAt: Fixtures.now - 300),
            roles: [.down, .master, .slave], master: "b2", status: .warning, codes: [.brokerDown]),
        Row(name: "the only broker: no standby",
            group: Fixtures.group(count: 1),
            brokers: [.master(pid: 101)],
            lock: Fixtures.lock(holder: .pid(101)),
            roles: [.master], master: "b1", status: .warning, codes: [.noStandby]),
    ]

    @Test(arguments: rows)
    func row(_ row: Row) {
        let result = GroupAssessor.assess(
            group: row.group, observation: Fixtures.observe(row.brokers, lock: row.lock), nowMillis: Fixtures.now)
        #expect(result.brokers.map(\.role) == row.roles)
        #expect(result.master == row.master)
        #expect(result.status == row.status)
        #expect(result.alerts.map(\.code) == row.codes)
        for alert in result.alerts {
            #expect(!alert.message.isEmpty && !alert.action.isEmpty)
        }
    }

    @Test func alertsAreOrderedWorstFirst() {
        let result = GroupAssessor.assess(
            group: Fixtures.group(keepAlive: 0),
            observation: Fixtures.observe(
                [.dead(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)],
                lock: Fixtures.lock(holder: .free, fs: FilesystemInfo(type: "nfs", nfsVersion: "3"))),
            nowMillis: Fixtures.now)
        #expect(result.alerts.first?.code == .noMaster)
        #expect(result.alerts.map(\.severity) == result.alerts.map(\.severity).sorted(by: >))
        #expect(Set(result.alerts.map(\.code)) == [.noMaster, .nfs3, .keepAliveOff, .brokerDown])
    }

    @Test func evidenceNamesEverySignal() {
        let verdict = RoleInference.verdict(
            broker: Fixtures.group().brokers[0], observation: Fixtures.broker("b1", .master(pid: 101)),
            lock: Fixtures.lock(holder: .pid(101)))
        #expect(verdict.evidence == ["Slave=false", "OpenWire open", "holds lock (pid 101)"])
        #expect(verdict.holdsLock)
    }

    @Test func worstCaseFailoverIsAcquirePlusKeepAlivePlusStart() {
        let group = Fixtures.group(keepAlive: 2000, acquire: 1000)
        #expect(group.expectedWorstCaseFailoverMillis == 1000 + 2000 + GroupConfig.defaultStartTimeMillis)
        #expect(GroupConfig(name: "x").expectedWorstCaseFailoverMillis == 10_000 + GroupConfig.defaultStartTimeMillis)
    }
}
