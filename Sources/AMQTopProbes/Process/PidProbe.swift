import AMQTopCore
import Foundation

/// Reads a broker's pid file and checks that the process it names is alive.
///
/// The local `ProcessChecking`: the file is read and the pid signalled on this host, so
/// it is only right for brokers running here.
public struct PidProbe: ProcessChecking {
    private let executor: BlockingExecutor
    private let timeoutMillis: Int64
    /// Stamps each observation's time.
    private let clock: any AppClock

    public init(executor: BlockingExecutor = BlockingExecutor(), timeoutMillis: Int64, clock: any AppClock = SystemClock()) {
        self.executor = executor
        self.timeoutMillis = timeoutMillis
        self.clock = clock
    }

    public func check(_ broker: BrokerConfig) async -> ProcessObservation? {
        guard let file = broker.pidFile else { return nil }
        return await probe(pidFile: file)
    }

    /// The process named by `pidFile`, read off the cooperative pool within the deadline.
    public func probe(pidFile: String) async -> ProcessObservation {
        let timeout = timeoutMillis
        let clock = clock
        return await executor.run(
            timeoutMillis: timeout,
            onTimeout: { ProcessObservation(atMillis: clock.nowMillis(), pid: nil, state: .unreadable("no answer within \(timeout) ms")) },
            { Self.read(pidFile: pidFile, clock: clock) })
    }

    /// Reads the pid file and probes the pid with `kill(pid, 0)`, synchronously.
    public static func read(pidFile: String, clock: any AppClock = SystemClock()) -> ProcessObservation {
        let now = clock.nowMillis()
        // SafeFile: a FIFO or device planted as the pid file is refused, never waited on.
        let bytes: [UInt8]
        do {
            bytes = try SafeFile.read(pidFile, limitBytes: 4096)
        } catch {
            if error.reason == .missing { return ProcessObservation(atMillis: now, pid: nil, state: .noPidFile) }
            return ProcessObservation(atMillis: now, pid: nil, state: .unreadable(error.problem))
        }
        return observation(pidText: String(decoding: bytes, as: UTF8.self), atMillis: now, isAlive: isAlive)
    }

    /// The observation for a pid file's text; `isAlive` is injectable so the rule is testable.
    static func observation(pidText: String, atMillis: Int64, isAlive: (Int32) -> Bool) -> ProcessObservation {
        let trimmed = pidText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(trimmed), pid > 0 else {
            return ProcessObservation(atMillis: atMillis, pid: nil, state: .unreadable("no pid in the file"))
        }
        return ProcessObservation(atMillis: atMillis, pid: pid, state: isAlive(pid) ? .alive : .dead)
    }

    /// `kill(pid, 0)`: success or EPERM (a process of another user) both mean it exists.
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
