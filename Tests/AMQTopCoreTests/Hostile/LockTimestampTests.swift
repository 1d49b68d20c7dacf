import Foundation
import Testing

@testable import AMQTopCore

/// Any 8 lock bytes are survivable, and an implausible timestamp is shown as such (issue 14).
struct LockTimestampTests {
    static let now: Int64 = 1_764_000_000_000

    static func bytes(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { Array($0) } }

    /// Values no master wrote, and why.
    static let implausible: [(Int64, String)] = [
        (.min, "negative"), (.min + 1, "negative"), (-1, "negative"), (0, "before 2000"), (1, "before 2000"),
        (946_684_799_999, "before 2000"), (now + 86_400_001, "in the future"),
        (15_928_937_165_000_000, "in the future"),  // the year 506713
        (.max, "in the future"), (.max - 1, "in the future"),
    ]

    @Test(arguments: implausible)
    func implausibleTimestampsAreKeptApartAndNeverUsed(_ value: Int64, _ why: String) {
        var lock = LockFileSnapshot(path: "/shared/lock", atMillis: Self.now, state: .ok, size: 8, holder: .pid(7))
        lock.setTimestamp(fromBytes: Self.bytes(value))
        #expect(lock.acquiredAtMillis == nil)
        #expect(lock.implausibleTimestampMillis == value)
        #expect(LockFileSnapshot.timestampProblem(value, atMillis: Self.now) == why)
        #expect(lock.ageMillis(nowMillis: Self.now) == nil)
    }

    @Test(arguments: [946_684_800_000, now - 86_400_000 * 365, now, now + 86_400_000] as [Int64])
    func plausibleTimestampsAreTheAcquisition(_ value: Int64) {
        var lock = LockFileSnapshot(path: "/shared/lock", atMillis: Self.now, state: .ok, size: 8)
        lock.setTimestamp(fromBytes: Self.bytes(value))
        #expect(lock.acquiredAtMillis == value && lock.implausibleTimestampMillis == nil)
    }

    /// The mtime comes from `stat`: `touch -d` sets any value, and the arithmetic saturates.
    @Test(arguments: [Int64.min, .min + 1, -1, 0, .max - 1, .max])
    func extremeMtimesNeverTrap(_ mtime: Int64) {
        let lock = LockFileSnapshot(path: "/l", atMillis: Self.now, state: .ok, size: 8, mtimeMillis: mtime, acquiredAtMillis: Self.now)
        let drift = lock.mtimeDriftMillis
        #expect(drift != nil && drift! >= 0)
        #expect(lock.mtimeMatchesTimestamp == (mtime == Self.now))
        let alerts = LockTouchedRule().alerts(AlertContext(
            group: GroupConfig(name: "g"), observation: GroupObservation(name: "g", lock: lock), evidence: [], verdicts: [], masters: [],
            lockHolderBroker: nil, nowMillis: Self.now))
        #expect(alerts.map(\.code) == [.lockTouched])
    }

    @Test func nanosecondsSaturate() {
        #expect(LockFileSnapshot.nanoseconds(seconds: 253_402_300_799, nanoseconds: 5) == .max)  // year 9999
        #expect(LockFileSnapshot.nanoseconds(seconds: -253_402_300_799, nanoseconds: 5) == .min)
        #expect(LockFileSnapshot.nanoseconds(seconds: 1_764_000_000, nanoseconds: 123) == 1_764_000_000_000_000_123)
        #expect(LockFileSnapshot.distance(from: .min, to: .max) == .max)
        #expect(LockFileSnapshot.distance(from: .max, to: .min) == .min)
    }

    /// Through the assessment and the status text: an alert of its own, never "0ms ago".
    @Test(arguments: [Int64.min, -1, 0, 15_928_937_165_000_000, .max])
    func statusShowsTheValueWithItsAlert(_ value: Int64) {
        let group = Fixtures.group(count: 2)
        var lock = Fixtures.lock(holder: .pid(101), acquiredAt: nil)
        lock.atMillis = Fixtures.now
        lock.mtimeMillis = value
        lock.setTimestamp(fromBytes: Self.bytes(value))
        let observation = Fixtures.observe([.master(pid: 101), .slave(pid: 102)], lock: lock)
        let assessment = GroupAssessor.assess(group: group, observation: observation, nowMillis: Fixtures.now)
        let alert = assessment.alerts.first { $0.code == .lockTimestampImplausible }
        #expect(alert?.message.contains("\(value)") == true)
        #expect(alert?.code.rawValue == "LOCK_TIMESTAMP_IMPLAUSIBLE")
        let text = StatusText.render(StatusReport(groups: [group], observations: [observation], nowMillis: Fixtures.now))
        #expect(text.contains("timestamp IMPLAUSIBLE (\(value): "))
        #expect(!text.contains(" ago)") && !text.contains("506713"))
        let json = StatusJSON.document(StatusReport(groups: [group], observations: [observation], nowMillis: Fixtures.now)).serialized()
        #expect(json.contains("LOCK_TIMESTAMP_IMPLAUSIBLE") && json.contains("\"implausibleTimestampMillis\"") && json.contains("\(value)"))
    }
}
