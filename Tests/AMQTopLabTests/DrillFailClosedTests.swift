import AMQTopActions
import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop drill` fails closed, through the real binary on a real lab group: no stop without
/// its audit line, and one action per group at a time across processes.
@Suite(.serialized)
struct DrillFailClosedTests {
    /// One finished `amqtop` run.
    struct Run {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    /// A started `amqtop` process whose output goes to files (a pipe could fill and stall it).
    final class Launched: @unchecked Sendable {
        let process = Process()
        let outPath = NSTemporaryDirectory() + "amqtop-drill-out-" + UUID().uuidString
        let errPath = NSTemporaryDirectory() + "amqtop-drill-err-" + UUID().uuidString

        init(_ arguments: [String], environment: [String: String], through wrapper: [String] = []) throws {
            let amqtop = try LabTestSupport.amqtopExecutable()
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            if wrapper.isEmpty {
                process.executableURL = URL(fileURLWithPath: amqtop)
                process.arguments = arguments
            } else {
                process.executableURL = URL(fileURLWithPath: wrapper[0])
                process.arguments = Array(wrapper.dropFirst()) + [amqtop] + arguments
            }
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle(forWritingAtPath: outPath)
            process.standardError = FileHandle(forWritingAtPath: errPath)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits (polling, never blocking a thread) until it exits, killing it past `timeout`.
        func finish(within timeout: Duration) async -> Run {
            let ended = await LabTestSupport.waitUntil(timeout) { !process.isRunning }
            if !ended { process.interrupt(); kill(pid, SIGKILL); _ = await LabTestSupport.waitUntil(.seconds(5)) { !process.isRunning } }
            let run = Run(
                exitCode: ended ? process.terminationStatus : -1,
                stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
            return run
        }
    }

    /// A state directory that cannot take the audit line, and what the refusal must say.
    struct Obstacle: Sendable {
        var name: String
        var reason: String
        /// Sets it up under `scratch`; returns `XDG_STATE_HOME` and the command to run amqtop through.
        var make: @Sendable (String) throws -> (stateHome: String, wrapper: [String])
    }

    static let obstacles: [Obstacle] = [
        Obstacle(name: "audit.log is a directory", reason: "Is a directory") { scratch in
            try FileManager.default.createDirectory(atPath: scratch + "/state/amqtop/audit.log", withIntermediateDirectories: true)
            return (scratch + "/state", [])
        },
        Obstacle(name: "the state directory's parent is a regular file", reason: "Not a directory") { scratch in
            _ = FileManager.default.createFile(atPath: scratch + "/plain", contents: Data("x".utf8))
            return (scratch + "/plain/state", [])
        },
        Obstacle(name: "audit.log is a FIFO nobody reads", reason: "No such device or address") { scratch in
            try FileManager.default.createDirectory(atPath: scratch + "/state/amqtop", withIntermediateDirectories: true)
            guard mkfifo(scratch + "/state/amqtop/audit.log", 0o600) == 0 else { throw POSIXError(.EIO) }
            return (scratch + "/state", [])
        },
        // A full filesystem: a 16 KiB tmpfs in a mount namespace of the drill's own (it goes
        // when the drill exits). The lock file is made first, so only the audit write fails.
        Obstacle(name: "a full filesystem", reason: "No space left on device") { scratch in
            let mount = scratch + "/full"
            try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
            let script = """
                mount -t tmpfs -o size=16k tmpfs "$0" || exit 97
                mkdir -p "$0/amqtop/locks" && printf '0000000000\\n' > "$0/amqtop/locks/lab.lock"
                head -c 1048576 /dev/zero > "$0/fill" 2>/dev/null
                exec "$@"
                """
            return (mount, ["/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, mount])
        },
    ]

    @Test func aDrillWhoseAuditLineCannotBeWrittenLeavesTheMasterServing() async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-drill-audit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await LabTestSupport.withGroup(try LabTestSupport.options(brokers: 2, acquireMillis: 500)) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group, timeout: .seconds(30))
            let masterPid = try #require(await group.pid(of: master.name))
            for obstacle in Self.obstacles {
                let place = scratch + "/" + UUID().uuidString
                try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: true)
                let (stateHome, wrapper) = try obstacle.make(place)
                let drill = try Launched(
                    ["drill", group.options.groupName, "--yes", "--config", group.configPath],
                    environment: ["XDG_STATE_HOME": stateHome], through: wrapper)
                let run = await drill.finish(within: .seconds(60))
                #expect(run.exitCode == 3, "\(obstacle.name): exit \(run.exitCode)\n\(run.stderr)")
                #expect(run.stderr.contains("the master of \(group.options.groupName) was not stopped"), "\(obstacle.name): \(run.stderr)")
                #expect(run.stderr.contains(obstacle.reason), "\(obstacle.name): \(run.stderr)")
                #expect(!run.stderr.contains("Error Domain") && !run.stderr.contains("NSCocoaErrorDomain"), "\(obstacle.name): \(run.stderr)")
                #expect(run.stdout.isEmpty, "\(obstacle.name): a timeline was printed: \(run.stdout)")
                // The master was never asked to stop: same process, still serving, still the lock holder.
                #expect(await group.pid(of: master.name) == masterPid, "\(obstacle.name)")
                #expect(LabTestSupport.openWireMasters(group).map(\.name) == [master.name], "\(obstacle.name)")
                #expect(LabTestSupport.lockHolderPid(path: group.lockFilePath) == masterPid, "\(obstacle.name)")
            }
        }
    }

    @Test func twoDrillsAtOnceOnOneGroupRunOneAndRefuseTheOtherNamingItsPid() async throws {
        let stateHome = NSTemporaryDirectory() + "amqtop-drill-twice-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: stateHome) }
        try await LabTestSupport.withGroup(try LabTestSupport.options(brokers: 2, keepAliveMillis: 1000, acquireMillis: 500)) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group, timeout: .seconds(30))
            let name = group.options.groupName
            let arguments = ["drill", name, "--yes", "--config", group.configPath]
            let lockPath = GroupActionLock.path(group: name, directory: stateHome + "/amqtop/locks")
            let first = try Launched(arguments, environment: ["XDG_STATE_HOME": stateHome])
            // The first holds the group's lock (its pid is in amqtop's own lock file) before the second starts.
            let holding = await LabTestSupport.waitUntil(.seconds(30)) {
                (try? String(contentsOfFile: lockPath, encoding: .utf8)) == "\(first.pid)\n"
            }
            #expect(holding, "the first drill never took \(lockPath)")
            let second = try Launched(arguments, environment: ["XDG_STATE_HOME": stateHome])
            let refused = await second.finish(within: .seconds(30))
            let ran = await first.finish(within: .seconds(90))

            #expect(refused.exitCode == 3, "second drill: exit \(refused.exitCode)\n\(refused.stdout)\n\(refused.stderr)")
            #expect(refused.stderr.contains("another amqtop action on group \(name) is under way (pid \(first.pid)"), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
            #expect(ran.exitCode == 0, "first drill: exit \(ran.exitCode)\n\(ran.stdout)\n\(ran.stderr)")
            // One stop only: the first drill's intent and outcome, nothing from the second.
            let audit = try AuditLog(path: stateHome + "/amqtop/audit.log").read().entries
            #expect(audit.map(\.result) == ["intent", "sent"], "\(audit)")
            #expect(audit.allSatisfy { $0.broker == master.name })
            // The broker's own lock file was never amqtop's: the new master holds it.
            let newMaster = try await LabTestSupport.waitForSingleMaster(group, timeout: .seconds(20), excluding: master.name)
            #expect(LabTestSupport.lockHolderPid(path: group.lockFilePath) == (await group.pid(of: newMaster.name)))
            // Released when the first drill ended: the group is free again.
            #expect(throws: Never.self) { try GroupActionLock.acquire(group: name, directory: stateHome + "/amqtop/locks").release() }
        }
    }
}
