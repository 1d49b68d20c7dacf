import AMQTopCore
import Testing

/// A lock file replaced by rename is no failover (issue 14: 33 phantom "in progress" takeovers).
struct ReplacedLockFileTests {
    /// Runs `renames` replacements 100 ms apart while b1 serves (brokers polled once a second,
    /// so most rounds see its last answer from before the new timestamp), and returns the outcome.
    static func run(renames: Int, holderOfNewFile: (Int) -> LockFileSnapshot.Holder, b1: HistoryFixtures.Shows = .master(101))
        -> HistoryFixtures.Outcome {
        let group = HistoryFixtures.group(count: 2)
        var detector = FailoverDetector(group: group.name)
        var outcome = HistoryFixtures.Outcome()
        let original = HistoryFixtures.at(-600)
        var brokersPolledAt = HistoryFixtures.at(0)
        for step in 0...renames {
            let now = HistoryFixtures.at(Double(step) / 10)
            if now - brokersPolledAt >= 1000 { brokersPolledAt = now }
            let replaced = step > 0
            let lock = LockFileSnapshot(
                path: "/shared/lock", atMillis: now, state: .ok, size: 8, mtimeMillis: replaced ? now - 5 : original,
                device: 2049, inode: replaced ? UInt64(1000 + step) : 42, acquiredAtMillis: replaced ? now - 5 : original,
                holder: replaced ? holderOfNewFile(step) : .pid(101))
            let observation = GroupObservation(name: group.name, lock: lock, brokers: [
                HistoryFixtures.broker("b1", step == 0 ? .master(101) : b1, at: brokersPolledAt),
                HistoryFixtures.broker("b2", .slave(102), at: brokersPolledAt),
            ])
            let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: now)
            for update in detector.observe(observation, assessment: assessment, nowMillis: now) { outcome.apply(update) }
        }
        return outcome
    }

    @Test(arguments: [1, 2, 33, 100])
    func renamesUnderAServingMasterRecordNoFailover(_ renames: Int) {
        let outcome = Self.run(renames: renames) { _ in .free }
        #expect(outcome.failovers.isEmpty, "\(outcome.failovers.map(\.key))")
        #expect(outcome.tenures.count == 1 && outcome.tenures[0].master == "b1")
    }

    /// No master serving (every endpoint silent) and nobody locking the new files: no takeover either.
    @Test func renamesWithNoMasterRecordNoFailover() {
        let outcome = Self.run(renames: 33, holderOfNewFile: { _ in .free }, b1: .silent(101))
        #expect(outcome.failovers.isEmpty, "\(outcome.failovers.map(\.key))")
    }

    /// The master's own broker shown holding the new file (a pid match) is the same master too.
    @Test func aNewFileHeldByTheSameMasterIsNoFailover() {
        let outcome = Self.run(renames: 20) { _ in .pid(101) }
        #expect(outcome.failovers.isEmpty)
    }

    /// A real takeover on a recreated file (another broker holds it, the old master died) still counts.
    @Test func aTakeoverOnANewInodeIsStillAFailover() {
        let outcome = Self.run(renames: 15, holderOfNewFile: { _ in .pid(102) }, b1: .dead(101))
        #expect(!outcome.failovers.isEmpty)
        #expect(outcome.failovers.first?.fromBroker == "b1")
    }
}
