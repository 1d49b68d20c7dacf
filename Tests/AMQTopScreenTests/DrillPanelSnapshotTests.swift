import AMQTopCore
import Testing
@testable import AMQTopScreen

/// The drill panel in every phase of a takeover, rendered alone and compared with `Snapshots/`.
///
/// Each step feeds the drill what the probes would see at that point of a real takeover
/// of prod-east's master b1 by b2; the panel must list the phases seen in time order, say
/// "waiting" only for what can still come, and put the verdict beside its expectation.
@Suite struct DrillPanelSnapshotTests {
    static let now = Fixtures.now
    static let stopAt = now - 1500

    /// A look at prod-east after the stop, as the probes report it.
    struct Look {
        var b1Dead = false
        var lockFree = false
        var acquiredBy: Int32?
        var b2Serves = false
        var at: Int64 = DrillPanelSnapshotTests.now

        var observation: GroupObservation {
            var observation = Fixtures.healthyProd
            if b1Dead {
                observation.brokers[0] = BrokerObservation(
                    name: "b1", jolokia: .failed(.refused, atMillis: stopAt + 300),
                    openwire: PortObservation(atMillis: stopAt + 300, state: .refused),
                    process: ProcessObservation(atMillis: stopAt + 300, pid: 4242, state: .dead))
            }
            if lockFree {
                observation.lock?.holder = .free
                observation.lock?.atMillis = stopAt + 500
            }
            if let acquiredBy {
                observation.lock?.holder = .pid(acquiredBy)
                observation.lock?.acquiredAtMillis = stopAt + 800
                observation.lock?.atMillis = stopAt + 900
            }
            if b2Serves {
                observation.brokers[1] = BrokerObservation(
                    name: "b2",
                    jolokia: JolokiaObservation(atMillis: at, latencyMillis: 9, slave: false, brokerName: "b2", version: "5.17.2", uptimeMillis: 9000, connections: 3),
                    openwire: PortObservation(atMillis: at, state: .open),
                    process: ProcessObservation(atMillis: at, pid: 4243, state: .alive))
            }
            return observation
        }
    }

    func drill(_ looks: [Look]) -> DrillTimeline {
        var drill = DrillTimeline(
            group: "prod-east", oldMaster: "b1", oldAcquiredAtMillis: Fixtures.acquired, stopSentAtMillis: Self.stopAt,
            expectedWorstCaseFailoverMillis: Fixtures.prod.expectedWorstCaseFailoverMillis)
        for look in looks {
            let observation = look.observation
            drill.observe(observation, assessment: GroupAssessor.assess(group: Fixtures.prod, observation: observation, nowMillis: look.at), nowMillis: look.at)
        }
        return drill
    }

    func render(_ drill: DrillTimeline, nowMillis: Int64 = now) -> String {
        var buffer = Buffer(width: 100, height: DrillPanelView.wantedHeight)
        DrillPanelView(drill: drill, nowMillis: nowMillis, context: ViewContext(), focused: false, group: Fixtures.prod)
            .render(into: &buffer, area: Rect(x: 0, y: 0, width: 100, height: DrillPanelView.wantedHeight))
        return TextRenderer.render(buffer)
    }

    /// The offsets of the phases listed, top to bottom (those seen).
    func offsets(_ screen: String) -> [String] {
        screen.split(separator: "\n").compactMap { line in line.firstMatch(of: #/│ (\+\S+) /#).map { String($0.output.1) } }
    }

    static let steps: [(String, [Look])] = [
        ("stop-sent", [Look()]),
        ("old-master-gone", [Look(b1Dead: true)]),
        ("lock-released", [Look(b1Dead: true), Look(b1Dead: true, lockFree: true)]),
        ("lock-acquired", [Look(b1Dead: true), Look(b1Dead: true, lockFree: true), Look(b1Dead: true, acquiredBy: 4243)]),
        ("lock-taken-at-once", [Look(b1Dead: true), Look(b1Dead: true, acquiredBy: 4243)]),
        ("new-master-serving", [Look(b1Dead: true), Look(b1Dead: true, lockFree: true), Look(b1Dead: true, acquiredBy: 4243),
                                Look(b1Dead: true, acquiredBy: 4243, b2Serves: true)]),
    ]

    @Test(arguments: 0..<6)
    func everyPhase(step: Int) throws {
        let (name, looks) = Self.steps[step]
        let screen = render(drill(looks))
        #expect(screen.contains("verdict ") && screen.contains("17s = lockAcquireSleepInterval 10s + lockKeepAlivePeriod 2s + start 5s"), "\(screen)")
        // Listed by time: the offsets shown never go back.
        let millis = offsets(screen).map { text -> Int64 in
            let value = text.dropFirst()
            if value.hasSuffix("ms") { return Int64(value.dropLast(2)) ?? -1 }
            return Int64((Double(value.dropLast()) ?? -1) * 1000)
        }
        #expect(millis == millis.sorted(), "phases out of time order:\n\(screen)")
        #expect(millis.count == 1 + [0, 1, 2, 3, 2, 4][step], "\(screen)")
        // "taken at once" only once the lock was seen taken.
        if screen.contains("not seen free") { #expect(screen.contains("lock acquired by b2")) }
        try Snapshot.assert(screen, named: "drill-\(step)-\(name)")
    }

    /// A new master past the expected worst case, none at all, and a stop that was never sent.
    @Test func slowFailedAndNotSent() throws {
        let late = Look(b1Dead: true, acquiredBy: 4243, b2Serves: true, at: Self.stopAt + 19_000)
        let slow = drill([Look(b1Dead: true), Look(b1Dead: true, acquiredBy: 4243), late])
        try Snapshot.assert(render(slow, nowMillis: Self.stopAt + 20_000), named: "drill-slow")
        let failed = render(drill([Look(b1Dead: true)]), nowMillis: Self.stopAt + 30_000)
        #expect(!failed.contains("waiting"), "a failed drill waits for nothing:\n\(failed)")
        try Snapshot.assert(failed, named: "drill-failed")
        var notSent = drill([])
        notSent.stopFailed("connection refused")
        let notSentScreen = render(notSent)
        #expect(!notSentScreen.contains("+0ms"), "a stop never sent is not dated:\n\(notSentScreen)")
        try Snapshot.assert(notSentScreen, named: "drill-stop-not-sent")
    }
}
