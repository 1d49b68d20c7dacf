import Testing
@testable import AMQTopCore

/// The one set of evidence rules: each row one broker's signals in, what the rules say out.
struct BrokerEvidenceTableTests {
    static let t: Int64 = Fixtures.now

    /// One broker's probes, each at its own instant (nil: not probed).
    struct Probes: Sendable {
        var slave: Bool?? = nil
        var endpointError: EndpointError? = nil
        var jolokiaAt: Int64 = t
        var port: PortState? = nil
        var portAt: Int64 = t
        var process: ProcessObservation.State? = nil
        var pid: Int32? = 101
        var host: String? = nil
        var processAt: Int64 = t

        var observation: BrokerObservation {
            var jolokia: JolokiaObservation?
            if let error = endpointError {
                jolokia = .failed(error, atMillis: jolokiaAt)
            } else if let slave {
                jolokia = JolokiaObservation(atMillis: jolokiaAt, slave: slave)
            }
            return BrokerObservation(
                name: "b1", jolokia: jolokia, openwire: port.map { PortObservation(atMillis: portAt, state: $0) },
                process: process.map { ProcessObservation(atMillis: processAt, pid: pid, state: $0, host: host) })
        }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var probes: Probes
        var lock: LockFileSnapshot? = Fixtures.lock(holder: .pid(999))
        var staleBefore: Int64? = nil
        var role: Role
        var serves: Bool
        /// The serving signal's phrase, while it serves.
        var servingPhrase: String? = nil
        /// The phrase and offset from `t` of the first signal that it does not serve.
        var notServing: (phrase: String, after: Int64)? = nil
        var meansDown: Bool = false
        var holdsLock: Bool = false
        /// A fragment the unconfirmed reason must contain (role unknown only).
        var reason: String? = nil
        var testDescription: String { name }
    }

    static func held(pid: Int32, on host: String? = nil) -> LockFileSnapshot {
        var lock = Fixtures.lock(holder: .pid(pid))
        lock.holderHost = host
        return lock
    }

    static let rows: [Row] = [
        Row(name: "master: Slave=false and OpenWire open, holding the lock",
            probes: Probes(slave: .some(false), port: .open, process: .alive), lock: held(pid: 101),
            role: .master, serves: true, servingPhrase: "Slave=false", holdsLock: true),
        Row(name: "stock slave: endpoint and port refused, process alive, not the holder: a slave, not gone",
            probes: Probes(endpointError: .refused, port: .refused, process: .alive),
            role: .slave, serves: false, notServing: ("OpenWire refused", 0), meansDown: true),
        Row(name: "stock slave without a pid file: unknown, never down, and says why",
            probes: Probes(endpointError: .refused, port: .refused),
            role: .unknown, serves: false, notServing: ("OpenWire refused", 0), meansDown: true,
            reason: "no pid file configured, endpoint silent"),
        Row(name: "answered Slave=false, then refused its port: no longer serves, gone as a master",
            probes: Probes(slave: .some(false), port: .refused, portAt: t + 10),
            role: .unknown, serves: false, notServing: ("OpenWire refused", 10), meansDown: true),
        Row(name: "OpenWire open, then answered Slave=true: gave up its lock and stayed as a slave",
            probes: Probes(slave: .some(true), jolokiaAt: t + 10, port: .open, process: .alive),
            role: .slave, serves: false, notServing: ("Slave=true", 10), meansDown: false),
        Row(name: "Slave=true and OpenWire open at the same instant: the serving signal stands",
            probes: Probes(slave: .some(true), port: .open, process: .alive),
            role: .master, serves: true, servingPhrase: "OpenWire open"),
        Row(name: "a slow endpoint says nothing: the open port still serves",
            probes: Probes(endpointError: .timeout(afterMillis: 2000), jolokiaAt: t + 10, port: .open),
            role: .master, serves: true, servingPhrase: "OpenWire open"),
        Row(name: "process dead: gone",
            probes: Probes(endpointError: .refused, port: .refused, process: .dead),
            role: .down, serves: false, notServing: ("process 101 not running", 0), meansDown: true),
        Row(name: "pid file removed: gone",
            probes: Probes(endpointError: .refused, process: .noPidFile, pid: nil),
            role: .down, serves: false, notServing: ("no pid file", 0), meansDown: true),
        Row(name: "dead by a stale pid file, then Slave=false: serving again (restarted)",
            probes: Probes(slave: .some(false), jolokiaAt: t + 10, process: .dead),
            role: .master, serves: true, servingPhrase: "Slave=false"),
        Row(name: "Slave=true, then its process died: gone, the later word wins",
            probes: Probes(slave: .some(true), process: .dead, processAt: t + 10),
            role: .down, serves: false, notServing: ("Slave=true", 0), meansDown: true),
        Row(name: "host unreachable: unknown with the SSH error, never down",
            probes: Probes(endpointError: .refused, port: .refused, process: .unreachable("Connection timed out"), host: "amq2"),
            role: .unknown, serves: false, notServing: ("OpenWire refused", 0), meansDown: true,
            reason: "host amq2 unreachable: Connection timed out"),
        Row(name: "the holder's pid on another host is another process: a slave, not the holder",
            probes: Probes(endpointError: .refused, port: .refused, process: .alive, host: "amq1"), lock: held(pid: 101, on: "amq2"),
            role: .slave, serves: false, notServing: ("OpenWire refused", 0), meansDown: true),
        Row(name: "same pid on the same host: holds the lock, master before it serves",
            probes: Probes(endpointError: .refused, port: .refused, process: .alive, host: "amq2"), lock: held(pid: 101, on: "amq2"),
            role: .master, serves: false, notServing: ("OpenWire refused", 0), meansDown: true, holdsLock: true),
        Row(name: "holds the lock but answers Slave=true: still a slave (it sleeps its keep-alive)",
            probes: Probes(slave: .some(true), port: .refused, process: .alive), lock: held(pid: 101),
            role: .slave, serves: false, notServing: ("OpenWire refused", 0), meansDown: true, holdsLock: true),
        Row(name: "a master claim older than the lock's acquisition: unknown",
            probes: Probes(slave: .some(false), jolokiaAt: t - 900), staleBefore: t - 500,
            role: .unknown, serves: false, reason: "predates"),
        Row(name: "probed by pid alone: holding the lock is its serving signal",
            probes: Probes(process: .alive), lock: held(pid: 101),
            role: .master, serves: true, servingPhrase: "holds lock (pid 101)", holdsLock: true),
        Row(name: "pid file unreadable and endpoint silent: unknown, both reasons named",
            probes: Probes(endpointError: .refused, process: .unreadable("EACCES")),
            role: .unknown, serves: false, notServing: ("endpoint connection refused", 0), meansDown: true,
            reason: "pid file unreadable: EACCES, endpoint silent"),
    ]

    @Test(arguments: rows)
    func row(_ row: Row) {
        let evidence = BrokerEvidence(name: "b1", observation: row.probes.observation, lock: row.lock, staleBeforeMillis: row.staleBefore)
        #expect(evidence.role == row.role)
        #expect(evidence.serves == row.serves)
        #expect(evidence.servingSignal?.phrase == row.servingPhrase)
        #expect(evidence.notServing?.phrase == row.notServing?.phrase)
        #expect(evidence.notServing.map { $0.atMillis - Self.t } == row.notServing?.after)
        if row.notServing != nil { #expect(evidence.notServingMeansDown == row.meansDown) }
        #expect((evidence.holdsLock != nil) == row.holdsLock)
        #expect(evidence.claimsMaster == (row.role == .master))
        #expect((evidence.isGone != nil) == (row.role == .down))
        #expect((evidence.waitsAsSlave != nil) == (row.role == .slave))
        if let reason = row.reason {
            #expect(evidence.unconfirmedReason?.contains(reason) == true, "reason: \(evidence.unconfirmedReason ?? "nil")")
        } else {
            #expect(evidence.unconfirmedReason == nil || row.role == .unknown)
        }
        // The verdict is the evidence's: one reading, not two.
        let verdict = RoleInference.verdict(evidence)
        #expect(verdict.role == evidence.role && verdict.evidence == evidence.phrases)
    }

    @Test func hostsAreNamedInTheEvidence() {
        let probes = Probes(endpointError: .refused, process: .alive, host: "amq2")
        let evidence = BrokerEvidence(name: "b1", observation: probes.observation, lock: Self.held(pid: 101, on: "amq2"), staleBeforeMillis: nil)
        #expect(evidence.phrases == ["endpoint connection refused", "holds lock (pid 101 on amq2)"])
    }
}
