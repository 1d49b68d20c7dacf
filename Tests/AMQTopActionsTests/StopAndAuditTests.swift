import AMQTopCore
import AMQTopProbes
import Foundation
import Testing
@testable import AMQTopActions

/// The one stop-then-audit path: stamped by the injected clock, its intent audited before it
/// is sent (and never sent when that fails), one action per group at a time.
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
        #expect(entries.map(\.result) == ["intent", "sent"])
        #expect(entries.allSatisfy { $0.atMillis == 1_780_000_000_000 })
    }

    @Test func theIntentLineIsWrittenBeforeTheStopAndTheOutcomeAfter() async throws {
        let directory = NSTemporaryDirectory() + "amqtop-stop-audit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let audit = AuditLog(path: directory + "/audit.log")
        // The stopper looks at the log while it stops: the intent must already be on disk.
        let stopper = RecordingStopper { try? audit.read().entries.map(\.result) }
        let report = await StopAndAudit(stopper: stopper, audit: audit, clock: ManualClock(startMillis: 1_780_000_000_000))
            .stop(group: "orders", broker: Self.broker)
        #expect(report.outcome.wasSent)
        #expect(stopper.calls == ["b2"])
        #expect(stopper.seenDuringStop == [["intent"]])
        let entries = try audit.read().entries
        #expect(entries.map(\.result) == ["intent", "sent"])
        #expect(entries.allSatisfy { $0.group == "orders" && $0.broker == "b2" })
        // Released after the stop: the next one on the group may take the lock.
        #expect(throws: Never.self) { _ = try GroupActionLock.acquire(group: "orders", directory: directory + "/locks") }
    }

    /// Each way an audit log can be unwritable: the stop is never sent, the outcome says why in plain words.
    @Test(arguments: UnwritableAudit.allCases)
    func anUnwritableAuditLogMeansNoStop(_ kind: UnwritableAudit) async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-stop-audit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = try kind.make(in: scratch)
        let stopper = RecordingStopper()
        let started = ContinuousClock.now
        let report = await StopAndAudit(stopper: stopper, audit: AuditLog(path: path), clock: ManualClock(), locking: .perStop(directory: scratch + "/locks"))
            .stop(group: "orders", broker: Self.broker)
        #expect(ContinuousClock.now - started < .seconds(5), "\(kind): the audit write must not block")
        #expect(stopper.calls.isEmpty, "\(kind): the broker was stopped without an audit line")
        #expect(report.outcome.wasRefused)
        #expect(report.outcome.detail.contains("audit log cannot be written"), "\(kind): \(report.outcome.detail)")
        #expect(report.outcome.detail.contains(kind.reason), "\(kind): \(report.outcome.detail)")
        #expect(!report.outcome.detail.contains("NSCocoaErrorDomain") && !report.outcome.detail.contains("Error Domain"), "\(report.outcome.detail)")
    }

    @Test func aGroupAnotherActionHoldsIsRefusedNamingTheHolder() async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-stop-audit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let held = try GroupActionLock.acquire(group: "orders", directory: scratch + "/locks")
        let stopper = RecordingStopper()
        let audit = AuditLog(path: scratch + "/audit.log")
        let report = await StopAndAudit(stopper: stopper, audit: audit, clock: ManualClock()).stop(group: "orders", broker: Self.broker)
        #expect(stopper.calls.isEmpty)
        #expect(report.outcome.wasRefused)
        #expect(report.outcome.detail.contains("pid \(getpid())"), "\(report.outcome.detail)")
        // Another group is not held up by it.
        let other = await StopAndAudit(stopper: stopper, audit: audit, clock: ManualClock()).stop(group: "billing", broker: Self.broker)
        #expect(other.outcome.wasSent)
        // A drill holding the group's lock stops through it, and only in that group.
        let drill = StopAndAudit(stopper: stopper, audit: audit, clock: ManualClock(), locking: .held(held))
        #expect(await drill.stop(group: "orders", broker: Self.broker).outcome.wasSent)
        #expect(await drill.stop(group: "billing", broker: Self.broker).outcome.wasRefused)
        #expect(stopper.calls == ["b2", "b2"])
        held.release()
    }
}

/// Audit log paths that cannot take a line, each with the words its refusal must contain.
enum UnwritableAudit: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// The log's directory would be inside a regular file.
    case parentIsAFile
    /// The log's path is a directory.
    case isADirectory
    /// A FIFO with no reader: opening it for writing must not wait.
    case fifo
    /// A character device that takes nothing (`/dev/full`): writes fail with ENOSPC.
    case fullDevice
    /// A dangling symlink into a directory that does not exist.
    case danglingSymlink

    var testDescription: String { rawValue }

    /// Makes the obstacle under `scratch` and returns the audit log path to use.
    func make(in scratch: String) throws -> String {
        let path = scratch + "/audit.log"
        switch self {
        case .parentIsAFile:
            _ = FileManager.default.createFile(atPath: scratch + "/plain", contents: Data("x".utf8))
            return scratch + "/plain/audit.log"
        case .isADirectory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case .fifo:
            guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.EIO) }
        case .fullDevice:
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/full")
        case .danglingSymlink:
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: scratch + "/missing/audit.log")
        }
        return path
    }

    /// What the refusal must say.
    var reason: String {
        switch self {
        case .parentIsAFile: "Not a directory"
        case .isADirectory: "Is a directory"
        case .fifo: "No such device or address"
        case .fullDevice: "not a regular file"
        case .danglingSymlink: "No such file or directory"
        }
    }
}

/// A stopper that only records which brokers it was asked to stop (and, optionally, what it saw meanwhile).
final class RecordingStopper: BrokerStopping, @unchecked Sendable {
    private let lock = NSLock()
    private var stopped: [String] = []
    private var seen: [[String]] = []
    private let look: (@Sendable () -> [String]?)?

    init(look: (@Sendable () -> [String]?)? = nil) { self.look = look }

    var calls: [String] { lock.withLock { stopped } }
    var seenDuringStop: [[String]] { lock.withLock { seen } }

    func stop(_ broker: BrokerConfig) async -> StopOutcome {
        let saw = look?()
        lock.withLock {
            stopped.append(broker.name)
            if let saw { seen.append(saw) }
        }
        return .sent("recorded")
    }
}
