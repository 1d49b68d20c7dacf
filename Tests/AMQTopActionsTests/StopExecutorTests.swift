import AMQTopCore
import AMQTopProbes
import Foundation
import Testing

@testable import AMQTopActions

/// The stop methods other than Jolokia, on real processes: `signal` (SIGTERM to the pid in a
/// pid file) and `command` (an argument list run without a shell, with a deadline).
/// Jolokia stops are covered against real ActiveMQ in IntegrationTests.
@Suite struct StopExecutorTests {
    /// A fresh scratch directory, removed by the caller.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-stop-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Polls `condition` until it holds or `millis` pass (never blocks a cooperative thread).
    static func eventually(millis: Int, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(millis)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func run(_ arguments: [String], timeoutMillis: Int64 = 20_000) async -> (StopOutcome, Duration) {
        let started = ContinuousClock.now
        let outcome = await StopExecutor.run(arguments, timeoutMillis: timeoutMillis)
        return (outcome, ContinuousClock.now - started)
    }

    @Test func aCommandThatExitsZeroWasSentAndOneThatFailsSaysWhy() async {
        #expect(await Self.run(["true"]).0 == .sent("true exited 0"))
        let (failed, _) = await Self.run(["sh", "-c", "echo 'activemq: no such instance' >&2; exit 3"])
        #expect(failed == .failed("sh: exit status 3: activemq: no such instance"))
        #expect(await Self.run(["no-such-stop-program-\(UUID().uuidString)"]).0.word == "refused")
        #expect(await Self.run([]).0 == .refused("command not found: (empty)"))
    }

    @Test func aCommandPastItsDeadlineIsKilledAndReportedFailed() async {
        let (outcome, took) = await Self.run(["sleep", "30"], timeoutMillis: 300)
        #expect(outcome == .failed("sleep: killed after 300ms"), "\(outcome)")
        #expect(took < .seconds(10))
    }

    /// More stderr than a pipe holds (64 KiB) must not stall the command until its deadline.
    @Test func aCommandWritingMuchToStderrIsNotStalled() async {
        let (outcome, took) = await Self.run(
            ["sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x >&2; echo ' last words' >&2; exit 1"], timeoutMillis: 20_000)
        #expect(outcome.word == "failed")
        #expect(outcome.detail.hasPrefix("sh: exit status 1: "), "\(outcome.detail.prefix(80))")
        #expect(outcome.detail.hasSuffix("x last words"), "the tail of stderr is kept")
        #expect(outcome.detail.count < 400, "only the tail, not a megabyte")
        #expect(took < .seconds(10), "took \(took)")
    }

    /// An init script that starts or stops a daemon leaves a child holding its stderr: the
    /// outcome must come when the command exits, not when that child does.
    @Test func aBackgroundChildHoldingStderrDoesNotHoldTheOutcome() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let childPidFile = directory + "/child.pid"
        let (outcome, took) = await Self.run(["sh", "-c", "sleep 20 & echo $! > '\(childPidFile)'; echo stopping >&2; exit 0"])
        let child = (try? String(contentsOfFile: childPidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let child { kill(child, SIGKILL) }
        #expect(outcome == .sent("sh exited 0"))
        #expect(child != nil, "the command's background child was not started")
        #expect(took < .seconds(10), "took \(took): waited for the background child")
    }

    @Test func signalSendsSigtermToTheLivePidInThePidFile() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The stand-in broker is spawned with default signal handling: a test runner may
        // itself ignore SIGTERM, and `Process` would pass that on.
        var broker = pid_t()
        #expect(StopCommand.spawn(executable: "/bin/sleep", arguments: ["sleep", "60"], stderr: 2, pid: &broker) == 0)
        defer { kill(broker, SIGKILL); var status: Int32 = 0; waitpid(broker, &status, WNOHANG) }
        let pidFile = directory + "/activemq.pid"
        try "\(broker)\n".write(toFile: pidFile, atomically: true, encoding: .utf8)

        #expect(StopExecutor.signal(pidFile: pidFile) == .sent("SIGTERM sent to pid \(broker)"))
        var status: Int32 = 0
        #expect(await Self.eventually(millis: 10_000) { waitpid(broker, &status, WNOHANG) == broker })
        #expect(status & 0x7f == SIGTERM, "wait status \(status)")

        // Now dead: a second stop is refused, naming the pid, rather than signalling a stranger.
        let again = StopExecutor.signal(pidFile: pidFile)
        #expect(again.word == "refused" && again.detail.contains("\(broker)"), "\(again)")
        #expect(StopExecutor.signal(pidFile: directory + "/none.pid") == .refused("no pid file at \(directory)/none.pid"))
    }

    /// The dashboard ignores SIGTERM/SIGHUP/SIGINT (it takes them through dispatch sources);
    /// a stop command, and any broker it starts, must not inherit that.
    @Test func theCommandRunsWithDefaultSignalHandling() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        let report = directory + "/sigign"
        let (outcome, _) = await Self.run(["sh", "-c", "grep SigIgn /proc/self/status > '\(report)'"])
        #expect(outcome == .sent("sh exited 0"))
        let line = try String(contentsOfFile: report, encoding: .utf8)
        let mask = UInt64(line.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16)
        #expect(mask.map { $0 & (1 << (UInt64(SIGTERM) - 1)) == 0 } == true, "SIGTERM ignored in the child: \(line)")
    }

    @Test func signalWithoutAPidFileConfiguredIsRefused() async {
        let http = ProbeHTTPClient(connectTimeoutMillis: 1000)
        let executor = StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: 1000))
        let outcome = await executor.stop(BrokerConfig(name: "b1", stop: .signal))
        await http.shutdown()
        #expect(outcome == .refused("no pidFile configured for signal"))
    }
}
