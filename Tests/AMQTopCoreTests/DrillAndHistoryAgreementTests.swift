import Testing
@testable import AMQTopCore

/// A drill and the failover history fed the same observations agree on the time without
/// a master, and both keep their phases in time order (issue #10: one Jolokia stop gave
/// "2.7 s" in the drill and "3.9 s" in the history, and a timeline read `+421ms old master
/// gone`, `+171ms lock released`).
struct DrillAndHistoryAgreementTests {
    static let stop: Int64 = Fixtures.now
    static let oldAcquired: Int64 = Fixtures.acquired

    /// One probe answer: what it said and when (ms after the stop).
    enum Endpoint { case slave(Bool, Int64), refused(Int64) }

    struct Broker {
        var endpoint: Endpoint
        var port: (PortState, Int64)
        var process: (ProcessObservation.State, Int64)
        var pid: Int32

        static func master(_ pid: Int32, _ at: Int64) -> Broker { Broker(endpoint: .slave(false, at), port: (.open, at), process: (.alive, at), pid: pid) }
        static func silent(_ pid: Int32, _ at: Int64) -> Broker { Broker(endpoint: .refused(at), port: (.refused, at), process: (.alive, at), pid: pid) }
        static func dead(_ pid: Int32, _ at: Int64) -> Broker { Broker(endpoint: .refused(at), port: (.refused, at), process: (.dead, at), pid: pid) }

        func observation(_ name: String) -> BrokerObservation {
            let jolokia: JolokiaObservation
            switch endpoint {
            case .slave(let slave, let at): jolokia = JolokiaObservation(atMillis: stop + at, slave: slave)
            case .refused(let at): jolokia = .failed(.refused, atMillis: stop + at)
            }
            return BrokerObservation(
                name: name, jolokia: jolokia, openwire: PortObservation(atMillis: stop + port.1, state: port.0),
                process: ProcessObservation(atMillis: stop + process.1, pid: pid, state: process.0))
        }
    }

    /// One look at the group: the lock (holder pid or free, acquisition, read time) and the brokers.
    struct Look {
        var at: Int64
        var holder: Int32?
        var acquired: Int64
        var lockReadAt: Int64
        var brokers: [Broker]

        var observation: GroupObservation {
            let lock = LockFileSnapshot(
                path: "/shared/lock", atMillis: stop + lockReadAt, state: .ok, size: 8, mtimeMillis: acquired,
                device: 2049, inode: 42, acquiredAtMillis: acquired, holder: holder.map { .pid($0) } ?? .free,
                filesystem: FilesystemInfo(type: "ext4", mountPoint: "/"))
            return GroupObservation(name: "orders", lock: lock, brokers: brokers.enumerated().map { $0.element.observation("b\($0.offset + 1)") })
        }
    }

    /// Feeds the looks before and after the stop to a detector and (after the stop) a drill.
    static func run(_ before: [Look], _ after: [Look]) -> (DrillTimeline, FailoverEvent?) {
        let group = Fixtures.group()
        var detector = FailoverDetector(group: "orders")
        var drill = DrillTimeline(
            group: "orders", oldMaster: "b1", oldAcquiredAtMillis: oldAcquired, stopSentAtMillis: stop,
            expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
        var event: FailoverEvent?
        func feed(_ look: Look, drilling: Bool) {
            let observation = look.observation
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: stop + look.at)
            for case .failover(let e) in detector.observe(observation, assessment: assessment, nowMillis: stop + look.at) { event = e }
            if drilling { drill.observe(observation, assessment: assessment, nowMillis: stop + look.at) }
        }
        for look in before { feed(look, drilling: false) }
        detector.noteStop(broker: "b1", atMillis: stop)
        for look in after { feed(look, drilling: true) }
        return (drill, event)
    }

    static func expectInOrder(_ drill: DrillTimeline, sourceLocation: SourceLocation = #_sourceLocation) {
        let seen = DrillPhase.allCases.compactMap { drill.phases[$0] }
        #expect(seen == seen.sorted(), "drill phases out of order: \(DrillPhase.allCases.map { "\($0): \(String(describing: drill.offset(of: $0)))" })", sourceLocation: sourceLocation)
        #expect(drill.signals[.newMasterServing].map { $0 == "Slave=false" || $0 == "OpenWire open" } ?? true, sourceLocation: sourceLocation)
    }

    static func expectInOrder(_ event: FailoverEvent, sourceLocation: SourceLocation = #_sourceLocation) {
        let seen = [event.oldMasterGone, event.lockFree, event.lockAcquired, event.newMasterServing].compactMap { $0?.atMillis }
        #expect(seen == seen.sorted(), "history phases out of order: \(event)", sourceLocation: sourceLocation)
    }

    static let healthy = Look(at: -1000, holder: 101, acquired: oldAcquired, lockReadAt: -1000, brokers: [.master(101, -1000), .silent(102, -1000), .silent(103, -1000)])

    /// The measured Jolokia stop: the port closes first while Jolokia still says Slave=false,
    /// the lock is seen free at +171 ms, the endpoint refuses only at the next broker poll.
    @Test func aJolokiaStopGivesOneTimeWithoutMaster() throws {
        let stopping = Broker(endpoint: .slave(false, 5), port: (.refused, 3), process: (.alive, 4), pid: 101)
        let after: [Look] = [
            Look(at: 10, holder: 101, acquired: Self.oldAcquired, lockReadAt: 10, brokers: [stopping, .silent(102, 2), .silent(103, 2)]),
            Look(at: 171, holder: nil, acquired: Self.oldAcquired, lockReadAt: 171, brokers: [stopping, .silent(102, 2), .silent(103, 2)]),
            Look(at: 421, holder: nil, acquired: Self.oldAcquired, lockReadAt: 421, brokers: [stopping, .silent(102, 2), .silent(103, 2)]),
            Look(at: 1005, holder: nil, acquired: Self.oldAcquired, lockReadAt: 921, brokers: [.dead(101, 1002), .silent(102, 1002), .silent(103, 1002)]),
            Look(at: 1200, holder: 102, acquired: Self.stop + 1150, lockReadAt: 1171, brokers: [.dead(101, 1002), .silent(102, 1002), .silent(103, 1002)]),
            Look(at: 2005, holder: 102, acquired: Self.stop + 1150, lockReadAt: 1921, brokers: [.dead(101, 2002), .silent(102, 2002), .silent(103, 2002)]),
            Look(at: 3005, holder: 102, acquired: Self.stop + 1150, lockReadAt: 2921, brokers: [.dead(101, 3002), .master(102, 3002), .silent(103, 3002)]),
            Look(at: 4005, holder: 102, acquired: Self.stop + 1150, lockReadAt: 3921, brokers: [.dead(101, 4002), .master(102, 4002), .silent(103, 4002)]),
        ]
        let (drill, found) = Self.run([Self.healthy], after)
        let event = try #require(found)
        #expect(event.cause == .stop && event.isComplete && event.toBroker == "b2")
        #expect(drill.timeWithoutMasterMillis == event.timeWithoutMasterMillis)
        #expect(drill.timeWithoutMasterMillis == Int64(3002 - 921))
        #expect(drill.offset(of: .oldMasterGone) == 921)
        #expect(drill.signals[.oldMasterGone] == "lock seen free")
        #expect(drill.signals[.newMasterServing] == "Slave=false")
        Self.expectInOrder(drill)
        Self.expectInOrder(event)
    }

    /// kill -9 with the lock taken at once: the old master's probes show it gone only after
    /// the new master wrote its timestamp, so the acquisition dates "gone" in both.
    @Test func aCrashSeenLateIsDatedByTheAcquisitionInBoth() throws {
        let after: [Look] = [
            Look(at: 700, holder: 103, acquired: Self.stop + 600, lockReadAt: 700, brokers: [.master(101, -1000), .silent(102, -1000), .silent(103, -1000)]),
            Look(at: 1005, holder: 103, acquired: Self.stop + 600, lockReadAt: 950, brokers: [.dead(101, 1001), .silent(102, 1001), .silent(103, 1001)]),
            Look(at: 2005, holder: 103, acquired: Self.stop + 600, lockReadAt: 1950, brokers: [.dead(101, 2001), .silent(102, 2001), .master(103, 2001)]),
        ]
        let (drill, found) = Self.run([Self.healthy], after)
        let event = try #require(found)
        #expect(event.toBroker == "b3" && event.isComplete)
        #expect(drill.timeWithoutMasterMillis == event.timeWithoutMasterMillis)
        #expect(drill.timeWithoutMasterMillis == Int64(2001 - 600))
        #expect(drill.signals[.oldMasterGone] == "lock taken over")
        #expect(drill.newMaster == "b3" && drill.lockTakenBy == "b3")
        Self.expectInOrder(drill)
        Self.expectInOrder(event)
    }

    /// A lock taken behind an old master that still serves: no "gone" phase while it serves,
    /// then gone where it was seen gone, after the acquisition (the contested case).
    @Test func aLockTakenBehindAServingMasterShowsNoGonePhaseWhileItServes() {
        let after: [Look] = [
            Look(at: 700, holder: 102, acquired: Self.stop + 600, lockReadAt: 700, brokers: [.master(101, 690), .silent(102, 690), .silent(103, 690)]),
        ]
        let (serving, _) = Self.run([Self.healthy], after)
        #expect(serving.offset(of: .lockAcquired) == 600)
        #expect(serving.offset(of: .oldMasterGone) == nil)

        let (gone, event) = Self.run([Self.healthy], after + [
            Look(at: 1500, holder: 102, acquired: Self.stop + 600, lockReadAt: 1500, brokers: [.dead(101, 1490), .silent(102, 1490), .silent(103, 1490)]),
            Look(at: 2500, holder: 102, acquired: Self.stop + 600, lockReadAt: 2500, brokers: [.dead(101, 2490), .master(102, 2490), .silent(103, 2490)]),
        ])
        #expect(gone.offset(of: .oldMasterGone) == 1490)
        #expect(gone.timeWithoutMasterMillis == 1000)
        #expect(event?.timeWithoutMasterMillis == gone.timeWithoutMasterMillis)
    }

    /// A new master that still answers Slave=true while its port is open serves by the port:
    /// the timeline names that signal, never `Slave=true`.
    @Test func theServingPhaseNamesTheServingSignal() throws {
        let opening = Broker(endpoint: .slave(true, 2001), port: (.open, 2001), process: (.alive, 2001), pid: 102)
        let after: [Look] = [
            Look(at: 1005, holder: 102, acquired: Self.stop + 600, lockReadAt: 1000, brokers: [.dead(101, 1001), .silent(102, 1001), .silent(103, 1001)]),
            Look(at: 2005, holder: 102, acquired: Self.stop + 600, lockReadAt: 2000, brokers: [.dead(101, 2001), opening, .silent(103, 2001)]),
        ]
        let (drill, found) = Self.run([Self.healthy], after)
        let event = try #require(found)
        #expect(drill.signals[.newMasterServing] == "OpenWire open")
        #expect(event.newMasterServing == PhaseStamp(atMillis: Self.stop + 2001, signal: .openwire))
        #expect(drill.timeWithoutMasterMillis == event.timeWithoutMasterMillis)
        Self.expectInOrder(drill)
        Self.expectInOrder(event)
    }
}
