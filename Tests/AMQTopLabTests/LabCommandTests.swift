import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop lab` as a user runs it: a separate launcher process and its brokers.
@Suite(.serialized)
struct LabCommandTests {
    /// Starts `amqtop lab` on a fresh directory and waits for its brokers' pid files.
    private func launch(_ directory: String) async throws -> (Process, [Int32]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try LabTestSupport.amqtopExecutable())
        process.arguments = ["lab", "--brokers", "2", "--dir", directory, "--lock-acquire-interval", "500ms"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var pids: [Int32] = []
        let started = await LabTestSupport.waitUntil(.seconds(10)) {
            pids = ["lab1", "lab2"].compactMap { name in
                (try? String(contentsOfFile: "\(directory)/\(name).pid", encoding: .utf8))
                    .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            return pids.count == 2 && FileManager.default.fileExists(atPath: "\(directory)/amqtop.yaml")
        }
        if !started { process.terminate() }
        try #require(started)
        return (process, pids)
    }

    private func freshDirectory() -> String {
        NSTemporaryDirectory() + "amqtop-lab-cli-\(UUID().uuidString)"
    }

    @Test func sigtermStopsEveryBrokerItStarted() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (launcher, pids) = try await launch(directory)
        defer { pids.forEach(LabTestSupport.killIfLabBroker) }

        let yaml = try String(contentsOfFile: "\(directory)/amqtop.yaml", encoding: .utf8)
        #expect(yaml.contains("lockFile: \(directory)/lock"))
        #expect(yaml.contains("lockAcquireSleepInterval: 500ms"))
        #expect(yaml.contains("pidFile: \(directory)/lab2.pid"))

        kill(launcher.processIdentifier, SIGTERM)
        // Polled, not waitUntilExit(): a blocked thread would stall the other tests.
        #expect(await LabTestSupport.waitUntil(.seconds(20)) { !launcher.isRunning })
        #expect(launcher.terminationStatus == 0)
        #expect(pids.allSatisfy { kill($0, 0) != 0 })
    }

    @Test func brokersExitWhenTheLauncherIsKilled() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (launcher, pids) = try await launch(directory)
        defer { pids.forEach(LabTestSupport.killIfLabBroker) }

        kill(launcher.processIdentifier, SIGKILL)
        #expect(await LabTestSupport.waitUntil(.seconds(20)) { !launcher.isRunning })
        let gone = await LabTestSupport.waitUntil(.seconds(3)) { pids.allSatisfy { kill($0, 0) != 0 } }
        #expect(gone)
    }
}
