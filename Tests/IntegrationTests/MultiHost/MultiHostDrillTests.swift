import Foundation
import Testing

extension MultiHostSuites {
    /// `amqtop drill` on a group whose brokers run on other hosts: the master is stopped on its
    /// own host (SIGTERM through its SSH connection), since its Jolokia policy denies `stop` and
    /// its pid means nothing on the jump host.
    @Suite(
        .serialized,
        .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"),
        .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1"))
    struct MultiHostDrillTests {
        @Test(.timeLimit(.minutes(4)))
        func drillStopsTheMasterOnItsHostAndRecordsOneFailover() async throws {
            let lab = try await MultiHostLab.start(hostCount: 3)
            do {
                try await run(lab)
            } catch {
                await lab.shutdown()
                throw error
            }
            await lab.shutdown()
            #expect(!FileManager.default.fileExists(atPath: lab.root))
        }

        private func run(_ lab: MultiHostLab) async throws {
            try await lab.startBrokers(options: ActiveMQGroupOptions(
                name: "mh", lockKeepAlivePeriod: .milliseconds(2000), lockAcquireSleepInterval: .milliseconds(1000),
                jolokiaBeforeBroker: false))
            let configPath = "\(lab.root)/amqtop.yaml"
            let brokers = lab.hosts.map { host in
                (name: lab.broker(on: host).name, host: host.name, pidFile: lab.broker(on: host).pidFile, jolokia: true)
            }
            // History and audit in the lab's directory: nothing shared with other tests or the user.
            let config = "history: \"\(lab.root)/history.db\"\n"
                + MultiHostTests.config(lab: lab, lockFile: lab.lockFile, brokers: brokers)
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let environment = ["XDG_STATE_HOME": "\(lab.root)/state"]

            // Wait for a serving master and two slaves, as the drill needs.
            let first = try await eventuallyValue(deadline: .now + .seconds(90), "a serving master and two slaves") {
                let status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath], environment: environment))
                let roles = status.brokers.compactMap { $0["role"] as? String }.sorted()
                let serving = status.masters.first.map { status.evidence($0).contains("Slave=false") } ?? false
                return roles == ["master", "slave", "slave"] && serving ? status : nil
            }
            let oldMaster = try #require(first.masters.first)
            let oldHost = try #require(lab.hosts.first { lab.broker(on: $0).name == oldMaster })
            let before = try LockFileFingerprint.read(lab.lockFile)

            let result = try await lab.amqtop(["drill", "mh", "--yes", "--json", "--config", configPath], timeout: .seconds(90), environment: environment)
            #expect(result.exitCode == 0 && !result.terminatedBySignal, "amqtop drill exited \(result.exitCode):\n\(result.stdout)\n\(result.stderr)")
            let drill = try JSONDecoder().decode(ActionsAndHistoryTests.DrillDocument.self, from: Data(result.stdout.utf8))
            #expect(drill.verdict == "PASSED", "drill report:\n\(result.stdout)\n\(result.stderr)")
            #expect(drill.oldMaster == oldMaster)
            let newMaster = try #require(drill.newMaster, "\(result.stdout)")
            #expect(newMaster != oldMaster)
            #expect(drill.lockTakenBy == newMaster)
            try await eventually(deadline: .now + .seconds(30), "\(oldMaster)'s JVM exits after the drill's SIGTERM on \(oldHost.name)") {
                await lab.javaPid(on: oldHost) == nil
            }

            // The audit line says the stop went by signal on the master's host.
            let audit = try await lab.amqtop(["audit", "--json"], environment: environment)
            #expect(audit.stdout.contains("SIGTERM sent to pid") && audit.stdout.contains("on \(oldHost.name)"), "audit: \(audit.stdout) \(audit.stderr)")

            // The history holds that takeover exactly once, caused by the stop.
            let historyRun = try await lab.amqtop(["history", "--json", "--group", "mh", "--config", configPath], environment: environment)
            let history = try JSONDecoder().decode(ActionsAndHistoryTests.HistoryDocument.self, from: Data(historyRun.stdout.utf8))
            #expect(history.failovers.count == 1, "failovers: \(history.failovers)")
            let event = try #require(history.failovers.first)
            #expect(event.from == oldMaster && event.to == newMaster, "\(event)")
            #expect(event.cause == "stop", "\(event)")

            // The lock file changed only by the takeover: the new master's 8-byte timestamp at offset
            // 0 (and with it mtime and ctime); same inode, same size, the rest of the bytes unchanged.
            let after = try LockFileFingerprint.read(lab.lockFile)
            #expect(after.inode == before.inode && after.size == before.size, "before \(before), after \(after)")
            #expect(Array(after.content.dropFirst(8)) == Array(before.content.dropFirst(8)), "before \(before), after \(after)")
            let stamp = after.content.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
            let oldStamp = before.content.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
            #expect(stamp > oldStamp, "before \(before), after \(after)")
            #expect(abs(Int64(after.modificationSeconds) * 1000 + Int64(after.modificationNanoseconds / 1_000_000) - stamp) < 2000, "\(after) vs stamp \(stamp)")
            // And amqtop's own reads after the takeover change nothing at all.
            _ = try await lab.amqtop(["status", "--json", "--config", configPath], environment: environment)
            #expect(try LockFileFingerprint.read(lab.lockFile) == after, "the lock file changed under amqtop")
        }
    }
}
