import AMQTopCore
import Testing

/// Each row: a sequence of polls in, the failovers, tenures and split-brain episodes out.
struct FailoverDetectorTableTests {
    typealias F = HistoryFixtures
    typealias Step = HistoryFixtures.Step

    /// What one recorded failover must look like; nil fields are not checked.
    struct ExpectedFailover: Sendable {
        var from: String?
        var to: String?
        var cause: FailoverCause
        var lastServing: PhaseStamp?
        var gone: PhaseStamp?
        var lockFree: PhaseStamp?
        var lockAcquiredAt: Int64?
        var newServing: PhaseStamp?
        var timeWithoutMaster: Int64?
        var takeover: Int64?
        var stopSentAt: Int64?
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var group: GroupConfig = F.group()
        var steps: [Step]
        var failovers: [ExpectedFailover]
        /// The masters of the recorded tenures, in order.
        var tenureMasters: [String?]
        /// The broker lists of the recorded split-brain episodes.
        var splitBrains: [[String]] = []
        var testDescription: String { name }
    }

    static let ts1 = F.at(-3 * 3600)  // the first master took the lock three hours before amqtop started

    static func p(_ seconds: Double, _ signal: FailoverSignal) -> PhaseStamp { PhaseStamp(atMillis: F.at(seconds), signal: signal) }

    static let rows: [Row] = [
        Row(
            name: "first start: the lock's old timestamp is the current tenure, not a failover",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
            ],
            failovers: [], tenureMasters: ["b1"]),
        Row(
            name: "crash (kill -9): port, endpoint and pid go at once, the lock goes free, b2 takes it",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: F.at(2.6), pid: 102), brokers: [.dead(101), .slave(102), .silent(103)]),
                Step(seconds: 4, lock: .held(acquiredAt: F.at(2.6), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
                Step(seconds: 5, lock: .held(acquiredAt: F.at(2.6), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    from: "b1", to: "b2", cause: .crash, lastServing: p(1, .jolokia), gone: p(2, .pid),
                    lockFree: p(2, .lockFile), lockAcquiredAt: F.at(2.6), newServing: p(4, .jolokia),
                    timeWithoutMaster: 2000, takeover: 1400),
            ],
            tenureMasters: ["b1", "b2"]),
        Row(
            name: "clean stop sent by amqtop: cause stop, with the time it was sent",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)], stopSent: "b1"),
                Step(seconds: 3, lock: .held(acquiredAt: F.at(2.8), pid: 103), brokers: [.stopped, .silent(102), .slave(103)]),
                Step(seconds: 4, lock: .held(acquiredAt: F.at(2.8), pid: 103), brokers: [.stopped, .silent(102), .master(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    // First seen gone at 3 s, but b3 acquired the lock at 2.8 s: b1 was gone by then.
                    from: "b1", to: "b3", cause: .stop, lastServing: p(2, .jolokia), gone: p(2.8, .lockFile), lockFree: nil,
                    lockAcquiredAt: F.at(2.8), newServing: p(4, .jolokia), timeWithoutMaster: 1200, takeover: 1200,
                    stopSentAt: F.at(1.5)),
            ],
            tenureMasters: ["b1", "b3"]),
        Row(
            name: "lock free for a while before a slave takes it: the first free sighting is the phase",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 3, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 4, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 5, lock: .held(acquiredAt: F.at(4.5), pid: 102), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 7, lock: .held(acquiredAt: F.at(4.5), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    from: "b1", to: "b2", cause: .crash, lastServing: p(0, .jolokia), gone: p(1, .pid),
                    lockFree: p(1, .lockFile), lockAcquiredAt: F.at(4.5), newServing: p(7, .jolokia),
                    timeWithoutMaster: 6000, takeover: 2500),
            ],
            tenureMasters: ["b1", "b2"]),
        Row(
            name: "flapping endpoint: the master misses one poll under the same lock timestamp, no failover",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.missedPoll(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.missedPoll(101), .silent(102), .silent(103)]),
                Step(seconds: 4, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
            ],
            failovers: [], tenureMasters: ["b1"]),
        Row(
            name: "two masters under one lock: a split-brain episode, not a failover",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .slave(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .master(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .master(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .slave(102), .silent(103)]),
            ],
            failovers: [], tenureMasters: ["b1"], splitBrains: [["b1", "b2"]]),
        Row(
            name: "lock taken behind a master that keeps serving (NFSv4 without keep-alive): split brain, not failover",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.master(101), .slave(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.master(101), .master(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.master(101), .master(102), .silent(103)]),
                Step(seconds: 4, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
            ],
            failovers: [], tenureMasters: ["b1", "b2"], splitBrains: [["b1", "b2"]]),
        Row(
            name: "lock taken while the old master still answers, which then gives up before b2 serves: a failover",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.master(101), .slave(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.stopped, .slave(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.stopped, .master(102), .silent(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    from: "b1", to: "b2", cause: .crash, gone: p(2, .pid), lockAcquiredAt: F.at(0.5), newServing: p(3, .jolokia)),
            ],
            tenureMasters: ["b1", "b2"]),
        Row(
            name: "no lock file: broker signals alone record the takeover",
            group: F.group(lockFile: false),
            steps: [
                Step(seconds: 0, lock: nil, brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: nil, brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: nil, brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 3, lock: nil, brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 4, lock: nil, brokers: [.dead(101), .master(102), .silent(103)]),
                Step(seconds: 5, lock: nil, brokers: [.dead(101), .master(102), .silent(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    from: "b1", to: "b2", cause: .crash, lastServing: p(1, .jolokia), gone: p(2, .pid), lockFree: nil,
                    lockAcquiredAt: nil, newServing: p(4, .jolokia), timeWithoutMaster: 2000, takeover: nil),
            ],
            tenureMasters: ["b1", "b2"]),
        Row(
            name: "no lock file: a master that misses one poll is not a takeover",
            group: F.group(lockFile: false),
            steps: [
                Step(seconds: 0, lock: nil, brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: nil, brokers: [.missedPoll(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: nil, brokers: [.master(101), .silent(102), .silent(103)]),
            ],
            failovers: [], tenureMasters: ["b1"]),
        Row(
            name: "the new master answers before a lock read shows its timestamp: still one failover, to it",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(
                    seconds: 3, lock: .heldReadEarly(acquiredAt: ts1, pid: 101, readAt: F.at(1.9)),
                    brokers: [.dead(101), .master(102), .silent(103)]),
                Step(seconds: 3.2, lock: .held(acquiredAt: F.at(2), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
            ],
            failovers: [
                ExpectedFailover(
                    from: "b1", to: "b2", cause: .crash, gone: p(1, .pid), lockAcquiredAt: F.at(2), newServing: p(3.2, .jolokia)),
            ],
            tenureMasters: ["b1", "b2"]),
        Row(
            name: "a master killed and restarted that takes the lock again: a failover from b1 to b1",
            steps: [
                Step(seconds: 0, lock: .held(acquiredAt: ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
                Step(seconds: 1, lock: .free(acquiredAt: ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
                Step(seconds: 2, lock: .held(acquiredAt: F.at(1.8), pid: 111), brokers: [.slave(111), .silent(102), .silent(103)]),
                Step(seconds: 3, lock: .held(acquiredAt: F.at(1.8), pid: 111), brokers: [.master(111), .silent(102), .silent(103)]),
            ],
            failovers: [ExpectedFailover(from: "b1", to: "b1", cause: .crash, lockAcquiredAt: F.at(1.8), newServing: p(3, .jolokia))],
            tenureMasters: ["b1", "b1"]),
    ]

    @Test(arguments: rows)
    func sequence(_ row: Row) {
        let outcome = F.run(row.steps, group: row.group)
        #expect(outcome.failovers.count == row.failovers.count, "failovers: \(outcome.failovers)")
        for (event, expected) in zip(outcome.failovers, row.failovers) {
            #expect(event.group == "orders")
            #expect(event.fromBroker == expected.from)
            #expect(event.toBroker == expected.to)
            #expect(event.cause == expected.cause)
            #expect(event.isComplete)
            #expect(event.lockAcquiredAtMillis == expected.lockAcquiredAt)
            if let at = expected.lockAcquiredAt { #expect(event.key == FailoverEvent.lockKey(at)) }
            if let stamp = expected.lastServing { #expect(event.oldMasterLastServing == stamp) }
            if let stamp = expected.gone { #expect(event.oldMasterGone == stamp) }
            if let stamp = expected.newServing { #expect(event.newMasterServing == stamp) }
            if expected.lockFree != nil || expected.lastServing != nil { #expect(event.lockFree == expected.lockFree) }
            if let ms = expected.timeWithoutMaster { #expect(event.timeWithoutMasterMillis == ms) }
            if expected.lastServing != nil { #expect(event.takeoverMillis == expected.takeover) }
            #expect(event.stopSentAtMillis == expected.stopSentAt)
            // Phases in time order, except an old master seen serving after the lock was
            // taken behind it: it was gone only when it was seen gone.
            let contested = (event.oldMasterLastServing?.atMillis ?? .min) > (event.lockAcquired?.atMillis ?? .max)
            let phases = [contested ? nil : event.oldMasterGone, event.lockFree, event.lockAcquired, event.newMasterServing].compactMap { $0?.atMillis }
            #expect(phases == phases.sorted(), "phases out of order: \(event)")
        }
        #expect(outcome.tenures.map(\.master) == row.tenureMasters, "tenures: \(outcome.tenures)")
        #expect(outcome.tenures.first?.startedBeforeObservation == true)
        #expect(outcome.tenures.dropFirst().allSatisfy { !$0.startedBeforeObservation })
        #expect(outcome.tenures.dropLast().allSatisfy { $0.endedAtMillis != nil })
        #expect(outcome.tenures.last?.endedAtMillis == nil)
        #expect(outcome.splitBrains.map(\.brokers) == row.splitBrains, "split brains: \(outcome.splitBrains)")
        #expect(outcome.splitBrains.allSatisfy { $0.endedAtMillis != nil })
    }

    @Test func firstStartTenureKeepsTheLockTimestamp() {
        let outcome = F.run([
            Step(seconds: 0, lock: .held(acquiredAt: Self.ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
        ])
        #expect(outcome.tenures == [
            Tenure(
                group: "orders", key: FailoverEvent.lockKey(Self.ts1), master: "b1", acquiredAtMillis: Self.ts1,
                firstSeenAtMillis: F.at(0), startedBeforeObservation: true),
        ])
        #expect(outcome.failovers.isEmpty)
    }

    @Test func takeoverIsReportedAsSoonAsTheLockChangesThenCompleted() {
        let outcome = F.run([
            Step(seconds: 0, lock: .held(acquiredAt: Self.ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
            Step(seconds: 1, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.dead(101), .slave(102), .silent(103)]),
            Step(seconds: 2, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.dead(101), .slave(102), .silent(103)]),
            Step(seconds: 3, lock: .held(acquiredAt: F.at(0.5), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
        ])
        let versions = outcome.updates.compactMap { update -> FailoverEvent? in
            if case .failover(let event) = update { return event }
            return nil
        }
        // Once in progress (to the lock holder), once complete: both committed when seen.
        #expect(versions.count == 2)
        #expect(versions.first?.isComplete == false)
        #expect(versions.first?.toBroker == "b2")
        #expect(versions.last?.isComplete == true)
    }

    @Test func staleStopDoesNotExplainALaterCrash() {
        var detector = FailoverDetector(group: "orders", stopAttributionMillis: 60_000)
        let group = F.group()
        detector.noteStop(broker: "b1", atMillis: F.at(-600))
        var events: [FailoverEvent] = []
        for step in [
            Step(seconds: 0, lock: .held(acquiredAt: Self.ts1, pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
            Step(seconds: 1, lock: .free(acquiredAt: Self.ts1), brokers: [.dead(101), .silent(102), .silent(103)]),
            Step(seconds: 2, lock: .held(acquiredAt: F.at(1.5), pid: 102), brokers: [.dead(101), .master(102), .silent(103)]),
        ] {
            let observation = F.observation(step)
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: F.at(step.seconds))
            for case .failover(let event) in detector.observe(observation, assessment: assessment, nowMillis: F.at(step.seconds)) {
                events.append(event)
            }
        }
        #expect(events.last?.cause == .crash)
        #expect(events.last?.stopSentAtMillis == nil)
    }
}

/// Lock files that appear after amqtop started.
struct FailoverDetectorLockAppearsTests {
    typealias F = HistoryFixtures
    typealias Step = HistoryFixtures.Step

    @Test func firstBrokerEverWritingTheLockIsATenureSeenStarting() {
        let outcome = F.run([
            Step(seconds: 0, lock: nil, brokers: [.silent(101), .silent(102), .silent(103)]),
            Step(seconds: 2, lock: .held(acquiredAt: F.at(1.5), pid: 101), brokers: [.slave(101), .silent(102), .silent(103)]),
            Step(seconds: 3, lock: .held(acquiredAt: F.at(1.5), pid: 101), brokers: [.master(101), .silent(102), .silent(103)]),
        ])
        #expect(outcome.failovers.isEmpty)
        #expect(outcome.tenures.map(\.master) == ["b1"])
        #expect(outcome.tenures.first?.startedBeforeObservation == false)
    }
}
