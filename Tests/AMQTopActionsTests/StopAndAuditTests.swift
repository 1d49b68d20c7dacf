import AMQTopCore
import AMQTopProbes
import Foundation
import Testing
@testable import AMQTopActions

/// The one stop-then-audit path: stamped by the injected clock, audited, a missing audit line noted.
@Suite struct StopAndAuditTests {
    /// Runs one stop of `broker` through a fresh path (its HTTP client shut down after).
    static func stop(audit: AuditLog, clock: any AppClock) async -> StopReport {
        let http = ProbeHTTPClient(connectTimeoutMillis: 1000)
        let executor = StopExecutor(jolokia: JolokiaProbe(http: http, timeoutMillis: 1000))
        let report = await StopAndAudit(executor: executor, audit: audit, clock: clock).stop(group: "orders", broker: broker)
        await http.shutdown()
        return report
    }

    static let broker = BrokerConfig(name: "b2", stop: .command(["/bin/true"]))

    @Test func aStopIsSentAtTheClocksTimeAndAudited() async throws {
        let directory = NSTemporaryDirectory() + "amqtop-stop-audit-" + UUID().uuidString
        let audit = AuditLog(path: directory + "/audit.jsonl")
        let clock = ManualClock(startMillis: 1_780_000_000_000)
        let report = await Self.stop(audit: audit, clock: clock)
        #expect(report.outcome.wasSent)
        #expect(report.sentAtMillis == 1_780_000_000_000)
        #expect(report.auditProblem == nil)
        #expect(report.shownOutcome == report.outcome)
        let entries = try audit.read().entries
        #expect(entries.count == 1)
        #expect(entries.first?.atMillis == 1_780_000_000_000)
    }

    @Test func anUnwritableAuditLogIsNotedOnTheOutcome() async throws {
        // The audit file's directory would have to be inside a regular file.
        let plain = NSTemporaryDirectory() + "amqtop-stop-audit-plain-" + UUID().uuidString
        #expect(FileManager.default.createFile(atPath: plain, contents: Data("x".utf8)))
        let audit = AuditLog(path: plain + "/audit.jsonl")
        let report = await Self.stop(audit: audit, clock: ManualClock())
        #expect(report.outcome.wasSent)
        #expect(report.auditProblem != nil)
        #expect(report.shownOutcome.wasSent)
        #expect(report.shownOutcome.detail.contains("audit log not written"))
    }
}
