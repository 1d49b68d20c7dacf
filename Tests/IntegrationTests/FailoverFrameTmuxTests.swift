import AMQTopRuntime
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Quieter must not mean slower: with idle frames once a second, a change of master still
/// reaches a real terminal (tmux) within one frame of the poll that saw it.
///
/// The reference is the dashboard's own history: its `newMasterServing` phase is stamped
/// with the time of the probe answer that first showed the new master serving. The screen
/// time is when a capture of tmux's pane (every 5 ms) first names the new master in the
/// overview, which can only be later than the frame itself. The bound is the loop's own
/// cadence, not a figure of this machine: one frame (`DashboardLoop.frameMillis`), and one
/// more frame of grace for the capture. Under load one round can be late for reasons that
/// are not the dashboard's, so the claim is held against the fastest of three failovers,
/// and every one must come in under the idle interval (a change that waited for the idle
/// frame could be up to a second late). A change that waited for the next tick instead
/// (up to 250 ms while the fresh lock age shows tenths) measured 238-252 ms here, against
/// 30 ms as built; the deterministic form of the rule (an urgent event is drawn one frame
/// after it, with no tick in between) is `DashboardLoopTests` on a manual clock.
@Suite(.serialized)
struct FailoverFrameTmuxTests {
    /// Every idle frame comes this long after the last one (the start of each wall-clock second).
    static let idleFrameMillis: Int64 = 1000

    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func aNewMasterReachesTheScreenWithinOneFrameOfThePollThatSawIt() async throws {
        let scratchDirectory = try DemoScratch("amqtop-frame")
        // Whatever happened, no broker of this demo may outlive the test.
        defer { scratchDirectory.remove() }
        let scratch = scratchDirectory.path
        var environment = scratchDirectory.environment()
        environment["XDG_STATE_HOME"] = scratch + "/state"
        environment["XDG_CONFIG_HOME"] = scratch + "/config"

        let bound = 2 * DashboardLoop.frameMillis
        var latencies: [Int64] = []
        try await TmuxSession.withSession([try AMQTopExecutable.path(), "demo", "--brokers", "4", "--respawn", "0"], environment: environment, width: 100, height: 30) { tmux in
            var master = try await Self.waitForMaster(tmux, excluding: nil, deadline: .now + .seconds(30))
            for round in 1...3 {
                // Idle first: the screen is on its once-a-second cadence when the master dies. Four
                // brokers, no respawn: three kills leave one to take over last.
                try await Task.sleep(for: .seconds(2))
                let labDirectory = try Self.labDirectory(under: scratch)
                let pidText = try String(contentsOfFile: "\(labDirectory)/\(master).pid", encoding: .utf8)
                let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(kill(pid, SIGKILL) == 0, "kill -9 \(master) (pid \(pid))")
                let (newMaster, screenMillis) = try await Self.waitForMasterTimed(tmux, excluding: master, deadline: .now + .seconds(40))

                let serving = try await eventuallyValue(deadline: .now + .seconds(20), "the history's failover to \(newMaster)") {
                    try await Self.servingMillis(to: newMaster, from: master, environment: environment)
                }
                let latency = screenMillis - serving
                print("FailoverFrameTmuxTests: round \(round): \(master) killed, \(newMaster) on screen \(latency) ms after the poll that saw it serving (bound \(bound) ms)")
                #expect(latency < Self.idleFrameMillis, "round \(round): \(newMaster) reached the screen \(latency) ms after the poll that saw it")
                latencies.append(latency)
                master = newMaster
            }
            try tmux.sendKeys("q")
            #expect(try await tmux.exitStatus(deadline: .now + .seconds(15)) == 0)
        }
        #expect(latencies.count == 3)
        #expect((latencies.min() ?? .max) <= bound, "no failover reached the screen within one frame of its poll: \(latencies) ms")
        #expect(DemoTmuxTests.labBrokerPids(under: scratch).isEmpty)
    }

    /// The master the overview's lab row names, once it names one other than `excluded`.
    static func waitForMaster(_ tmux: TmuxSession, excluding excluded: String?, deadline: ContinuousClock.Instant) async throws -> String {
        try await waitForMasterTimed(tmux, excluding: excluded, deadline: deadline).0
    }

    /// Like `waitForMaster`, with the wall-clock milliseconds of the capture that showed it.
    static func waitForMasterTimed(
        _ tmux: TmuxSession, excluding excluded: String?, deadline: ContinuousClock.Instant
    ) async throws -> (String, Int64) {
        var found: String?
        try await tmux.waitForScreen("the overview naming a master other than \(excluded ?? "none")", deadline: deadline, pollInterval: .milliseconds(5)) { screen in
            found = overviewMaster(in: screen).flatMap { $0 == excluded ? nil : $0 }
            return found != nil
        }
        let seen = Int64(Date().timeIntervalSince1970 * 1000)
        return (try #require(found), seen)
    }

    /// The master column of the overview's `lab` row (`│▶ lab  WARNING  * lab2 ...`).
    static func overviewMaster(in screen: String) -> String? {
        for line in screen.split(separator: "\n") {
            if let match = String(line).firstMatch(of: #/^[│|](?:▶|>| ) lab +[A-Z]+ +\* (lab\d+) /#) { return String(match.output.1) }
        }
        return nil
    }

    /// The demo's lab directory under the test's `XDG_RUNTIME_DIR` (`amqtop/labs/lab-*`).
    static func labDirectory(under scratch: String) throws -> String {
        let labs = scratch + "/amqtop/labs"
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: labs)) ?? []).filter { $0.hasPrefix("lab-") }
        return labs + "/" + (try #require(found.first, "no lab directory in \(labs)"))
    }

    /// `newMasterServing.atMillis` of the recorded failover from `from` to `to`, once complete.
    static func servingMillis(to: String, from: String, environment: [String: String]) async throws -> Int64? {
        var full = ProcessInfo.processInfo.environment
        full.merge(environment) { $1 }
        let result = try await AMQTopExecutable.run(["history", "--json", "--since", "1h"], deadline: .now + .seconds(20), environment: full)
        guard result.exitCode == 0, let data = result.stdout.data(using: .utf8),
            let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let failovers = document["failovers"] as? [[String: Any]]
        else { return nil }
        for failover in failovers where failover["to"] as? String == to && failover["from"] as? String == from {
            if let phases = failover["phases"] as? [String: Any], let serving = phases["newMasterServing"] as? [String: Any],
                let at = serving["atMillis"] as? NSNumber
            {
                return at.int64Value
            }
        }
        return nil
    }
}
