import Testing
@testable import AMQTopCore

/// Each alert rule on its own: a group's observations in, that rule's alert codes out.
struct AlertRuleTableTests {
    typealias S = Fixtures.Signals

    struct Row: CustomTestStringConvertible, Sendable {
        var rule: any AlertRule
        var name: String
        var group: GroupConfig = Fixtures.group()
        var brokers: [S] = [.master(pid: 101), .slave(pid: 102), .slave(pid: 103)]
        var lock: LockFileSnapshot? = Fixtures.lock(holder: .pid(101))
        var codes: [Alert.Code]
        var testDescription: String { "\(rule.name): \(name)" }
    }

    /// The context the assessor would hand the rules for these observations.
    static func context(_ row: Row) -> AlertContext {
        let observation = Fixtures.observe(row.brokers, lock: row.lock)
        let assessment = GroupAssessor.assess(group: row.group, observation: observation, nowMillis: Fixtures.now)
        let evidence = row.group.brokers.map {
            BrokerEvidence(name: $0.name, observation: observation.broker(named: $0.name), lock: row.lock, staleBeforeMillis: row.lock?.acquiredAtMillis)
        }
        return AlertContext(
            group: row.group, observation: observation, evidence: evidence, verdicts: assessment.brokers, masters: assessment.masters,
            lockHolderBroker: assessment.lockHolderBroker, nowMillis: Fixtures.now)
    }

    static let nfs4 = FilesystemInfo(type: "nfs4", nfsVersion: "4.2")

    /// A lock read on three hosts; `disagreement` as the lock reader noted it.
    static func viewed(disagreement: String?, heldUnlisted: String? = nil, holder: LockFileSnapshot.Holder = .pid(101)) -> LockFileSnapshot {
        var lock = Fixtures.lock(holder: holder)
        lock.views = LockViews(hosts: ["amq1", "amq2", "amq3"], disagreement: disagreement, heldUnlisted: heldUnlisted)
        return lock
    }

    /// Every host sees it held (F_GETLK) and no host's lock table lists a holder.
    static let stuck = viewed(disagreement: nil, heldUnlisted: "every host (amq1, amq2, amq3) sees the lock held, but no host's lock table lists a holder", holder: .elsewhere)

    /// Held, no reachable host lists the holder, one host out of reach: the lock reader leaves `heldUnlisted` nil.
    static let unreachableHolder = viewed(disagreement: nil, holder: .unknown("held by a host amqtop cannot reach (amq3)"))

    static let rows: [Row] = [
        Row(rule: MasterCountRule(), name: "one master", codes: []),
        Row(rule: MasterCountRule(), name: "two masters", brokers: [.master(pid: 101), .master(pid: 102), .slave(pid: 103)], codes: [.splitBrain]),
        Row(rule: MasterCountRule(), name: "none", brokers: [.silentSlave(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)],
            lock: Fixtures.lock(holder: .free), codes: [.noMaster]),

        Row(rule: LockFileStateRule(), name: "present", codes: []),
        Row(rule: LockFileStateRule(), name: "missing", lock: Fixtures.lock(holder: .free, acquiredAt: nil, state: .missing), codes: [.lockMissing]),
        Row(rule: LockFileStateRule(), name: "empty", lock: Fixtures.lock(holder: .free, acquiredAt: nil, state: .empty), codes: [.lockUnreadable]),
        Row(rule: LockFileStateRule(), name: "permission denied", lock: Fixtures.lock(holder: .free, acquiredAt: nil, state: .permissionDenied), codes: [.lockUnreadable]),
        Row(rule: LockFileStateRule(), name: "no lock file configured", lock: nil, codes: []),

        Row(rule: MasterLockRule(), name: "the master holds it", codes: []),
        Row(rule: MasterLockRule(), name: "another pid holds it", lock: Fixtures.lock(holder: .pid(102)), codes: [.masterNotLockHolder]),
        Row(rule: MasterLockRule(), name: "nobody holds it", lock: Fixtures.lock(holder: .free), codes: [.lockNotHeld]),
        Row(rule: MasterLockRule(), name: "held from another host (no pid to compare)", lock: Fixtures.lock(holder: .elsewhere), codes: []),

        Row(rule: ForeignLockHolderRule(), name: "a broker holds it", codes: []),
        Row(rule: ForeignLockHolderRule(), name: "a stranger holds it", lock: Fixtures.lock(holder: .pid(999)), codes: [.foreignLockHolder]),
        Row(rule: ForeignLockHolderRule(), name: "a stranger, but not every broker has a pid file",
            group: Fixtures.group(pidFiles: false), lock: Fixtures.lock(holder: .pid(999)), codes: []),

        Row(rule: StuckLockRule(), name: "read here only (no host views)", codes: []),
        Row(rule: StuckLockRule(), name: "held, listed by nobody, nobody serves",
            brokers: [.silentSlave(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)], lock: stuck, codes: [.stuckLock]),
        Row(rule: StuckLockRule(), name: "held, listed by nobody, but a broker serves (it holds it in fact)",
            brokers: [S(slave: .some(false), port: .open), .silentSlave(pid: 102), .silentSlave(pid: 103)], lock: stuck, codes: []),
        Row(rule: StuckLockRule(), name: "held by a host amqtop cannot reach is not the stuck lock",
            brokers: [.silentSlave(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)], lock: unreachableHolder, codes: []),

        Row(rule: LockViewsDisagreeRule(), name: "hosts agree", lock: viewed(disagreement: nil), codes: []),
        Row(rule: LockViewsDisagreeRule(), name: "read here only", codes: []),
        Row(rule: LockViewsDisagreeRule(), name: "two hosts see different bytes and mtime",
            lock: viewed(disagreement: "amq2 and amq1 see different timestamp bytes, mtime"), codes: [.lockViewsDisagree]),

        Row(rule: LockTouchedRule(), name: "mtime matches", codes: []),
        Row(rule: LockTouchedRule(), name: "mtime a minute off", lock: Fixtures.lock(holder: .pid(101), mtime: Fixtures.acquired + 60_000), codes: [.lockTouched]),

        Row(rule: FilesystemHazardRule(), name: "local disk", codes: []),
        Row(rule: FilesystemHazardRule(), name: "NFSv3 with keep-alive", lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs", nfsVersion: "3")), codes: [.nfs3]),
        Row(rule: FilesystemHazardRule(), name: "NFSv3 with keep-alive off", group: Fixtures.group(keepAlive: 0),
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "nfs", nfsVersion: "3")), codes: [.nfs3, .keepAliveOff]),
        Row(rule: FilesystemHazardRule(), name: "OCFS2", lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "ocfs2")), codes: [.ocfs2]),
        Row(rule: FilesystemHazardRule(), name: "NFSv4 keep-alive not stated", group: Fixtures.group(keepAlive: nil),
            lock: Fixtures.lock(holder: .elsewhere, fs: nfs4), codes: [.keepAliveOff]),
        Row(rule: FilesystemHazardRule(), name: "NFSv4 keep-alive near the lease", group: Fixtures.group(keepAlive: 60_000),
            lock: Fixtures.lock(holder: .elsewhere, fs: nfs4), codes: [.keepAliveVsLease]),
        Row(rule: FilesystemHazardRule(), name: "NFSv4 keep-alive well under the lease", group: Fixtures.group(keepAlive: 5000),
            lock: Fixtures.lock(holder: .elsewhere, fs: nfs4), codes: []),
        Row(rule: FilesystemHazardRule(), name: "GFS2 keep-alive off", group: Fixtures.group(keepAlive: 0),
            lock: Fixtures.lock(holder: .elsewhere, fs: FilesystemInfo(type: "gfs2")), codes: [.keepAliveOff]),

        Row(rule: BrokerHealthRule(), name: "all fine", codes: []),
        Row(rule: BrokerHealthRule(), name: "a dead process and a timing-out endpoint, in broker order",
            brokers: [.master(pid: 101), S(endpointError: .timeout(afterMillis: 2000), port: .refused, pid: 102, process: .alive), .dead(pid: 103)],
            codes: [.brokerUnreachable, .brokerDown]),
        Row(rule: BrokerHealthRule(), name: "a refused endpoint is a stock slave, not a failure",
            brokers: [.master(pid: 101), .silentSlave(pid: 102), .silentSlave(pid: 103)], codes: []),

        Row(rule: StandbyRule(), name: "slaves confirmed", codes: []),
        Row(rule: StandbyRule(), name: "every standby down", brokers: [.master(pid: 101), .dead(pid: 102), .dead(pid: 103)], codes: [.noStandby]),
        Row(rule: StandbyRule(), name: "the only broker", group: Fixtures.group(count: 1), brokers: [.master(pid: 101)], codes: [.noStandby]),
        Row(rule: StandbyRule(), name: "standbys all unknown (no pid files)", group: Fixtures.group(pidFiles: false),
            brokers: [S(slave: .some(false), port: .open), .silentSlave(pid: nil), .silentSlave(pid: nil)], codes: [.noStandbyConfirmed]),
        Row(rule: StandbyRule(), name: "one down, the other unknown: none confirmed", group: Fixtures.group(pidFiles: false),
            brokers: [S(slave: .some(false), port: .open), S(endpointError: .refused, port: .refused, pid: 102, process: .dead), .silentSlave(pid: nil)],
            codes: [.noStandbyConfirmed]),
        Row(rule: StandbyRule(), name: "one unknown, one confirmed slave: fine", group: Fixtures.group(pidFiles: false),
            brokers: [S(slave: .some(false), port: .open), .silentSlave(pid: nil), S(slave: .some(true), port: .refused)], codes: []),
        Row(rule: StandbyRule(), name: "no master: the no-master alert says it, not this rule",
            group: Fixtures.group(pidFiles: false), brokers: [.silentSlave(pid: nil), .silentSlave(pid: nil), .silentSlave(pid: nil)],
            lock: Fixtures.lock(holder: .free), codes: []),

        Row(rule: ImplausibleLockTimestampRule(), name: "a real timestamp", codes: []),
        Row(rule: ImplausibleLockTimestampRule(), name: "no timestamp yet", lock: Fixtures.lock(holder: .free, acquiredAt: nil, state: .empty), codes: []),
        Row(rule: ImplausibleLockTimestampRule(), name: "Int64.min in the lock's first 8 bytes",
            lock: Self.implausibleLock(.min), codes: [.lockTimestampImplausible]),
        Row(rule: ImplausibleLockTimestampRule(), name: "the year 506713",
            lock: Self.implausibleLock(15_928_937_165_000_000), codes: [.lockTimestampImplausible]),
        // Without brokerXml: nothing read, nothing judged (BrokerFileRulesTests has the files).
        Row(rule: BrokerFileDriftRule(), name: "no brokerXml configured", codes: []),
        Row(rule: BrokerFilesDisagreeRule(), name: "no brokerXml configured", codes: []),
    ]

    /// A lock whose first 8 bytes are `raw`, read at the fixtures' now.
    static func implausibleLock(_ raw: Int64) -> LockFileSnapshot {
        var lock = Fixtures.lock(holder: .pid(101), acquiredAt: nil)
        lock.setTimestamp(fromBytes: withUnsafeBytes(of: UInt64(bitPattern: raw).bigEndian) { Array($0) })
        return lock
    }

    @Test(arguments: rows)
    func row(_ row: Row) {
        let alerts = row.rule.alerts(Self.context(row))
        #expect(alerts.map(\.code) == row.codes)
        for alert in alerts { #expect(!alert.message.isEmpty && !alert.action.isEmpty) }
    }

    @Test func everyRuleIsInTheTableOnce() {
        let names = AlertRules.table.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names) == Set(Self.rows.map(\.rule.name)))
    }

    /// Both slaves killed where amqtop has no pid files: measured "OK, no alerts" before.
    @Test func noStandbyConfirmedSaysWhyForEachBroker() throws {
        var group = Fixtures.group(pidFiles: false)
        group.brokers[2].pidFile = "/run/b3.pid"
        var unreachable = Fixtures.broker("b3", S(endpointError: .refused, port: .refused, pid: nil, process: .unreachable("ssh: connect to host amq3 port 22: Connection refused")))
        unreachable.process?.host = "amq3"
        var observation = Fixtures.observe([S(slave: .some(false), port: .open), .silentSlave(pid: nil), .silentSlave(pid: nil)], lock: Fixtures.lock(holder: .elsewhere))
        observation.brokers[2] = unreachable
        let result = GroupAssessor.assess(group: group, observation: observation, nowMillis: Fixtures.now)
        #expect(result.brokers.map(\.role) == [.master, .unknown, .unknown])
        #expect(result.status == .warning)
        let alert = try #require(result.alerts.first { $0.code == .noStandbyConfirmed })
        #expect(alert.severity == .warning)
        #expect(alert.message.contains("b2: no pid file configured, endpoint silent"), "\(alert.message)")
        #expect(alert.message.contains("b3: host amq3 unreachable: ssh: connect to host amq3 port 22: Connection refused"), "\(alert.message)")
    }

    /// The same pid on another host is another process: it neither holds the lock nor names the holder.
    @Test func theLockHolderIsTheSamePidOnTheSameHost() throws {
        var observation = Fixtures.observe([.master(pid: 101), .slave(pid: 102), .slave(pid: 103)], lock: Fixtures.lock(holder: .pid(101)))
        for index in observation.brokers.indices { observation.brokers[index].process?.host = "amq\(index + 1)" }
        observation.lock?.holderHost = "amq2"
        let elsewhere = GroupAssessor.assess(group: Fixtures.group(), observation: observation, nowMillis: Fixtures.now)
        #expect(elsewhere.lockHolderBroker == nil)
        #expect(elsewhere.broker(named: "b1")?.holdsLock == false)
        let alert = try #require(elsewhere.alerts.first { $0.code == .masterNotLockHolder })
        #expect(alert.message == "b1 serves as master (pid 101 on amq1) but the lock is held by pid 101 on amq2.")

        observation.lock?.holderHost = "amq1"
        let same = GroupAssessor.assess(group: Fixtures.group(), observation: observation, nowMillis: Fixtures.now)
        #expect(same.lockHolderBroker == "b1")
        #expect(same.broker(named: "b1")?.evidence == ["Slave=false", "OpenWire open", "holds lock (pid 101 on amq1)"])
        #expect(same.status == .ok, "\(same.alerts)")
    }

    /// The lock panel's hazard words and the alerts come from one place.
    @Test(arguments: [
        (FilesystemInfo(type: "nfs", nfsVersion: "3"), Int64(0), ["NFSv3: a crashed master's lock is never released"]),
        (FilesystemInfo(type: "ocfs2"), Int64(2000), ["OCFS2: both brokers can think they hold the lock"]),
        (FilesystemInfo(type: "nfs4", nfsVersion: "4.2"), Int64(0), ["NFSv4 without keep-alive: a slave can take the lock"]),
        (FilesystemInfo(type: "nfs4", nfsVersion: "4.2"), Int64(2000), []),
        (FilesystemInfo(type: "gfs2"), Int64(2000), ["shared filesystem: check its POSIX lock support"]),
        (FilesystemInfo(type: ""), Int64(2000), ["filesystem type unknown"]),
        (FilesystemInfo(type: "ext4"), Int64(0), []),
    ] as [(FilesystemInfo, Int64, [String])])
    func hazardPhrases(_ filesystem: FilesystemInfo, _ keepAlive: Int64, _ phrases: [String]) {
        let hazards = FilesystemHazard.detect(filesystem: filesystem, keepAliveMillis: keepAlive, nfsLeaseMillis: GroupConfig.defaultNFSLeaseMillis)
        #expect(hazards.compactMap(\.phrase) == phrases)
    }
}
