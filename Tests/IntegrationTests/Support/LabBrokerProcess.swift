import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `amqtop lab-broker` process of the built binary, for tests that put lab brokers next
/// to real ActiveMQ ones (same lock directory) or compare their answers.
///
/// The broker is started with `--exit-with-parent`, registered with ``ProcessReaper`` under
/// `owner` (a harness group's root, so the group's watchdog and the `atexit` reaper cover it
/// too) and logs to `logFile`.
final class LabBrokerProcess: @unchecked Sendable {
    /// The broker's name, also its MBean's `brokerName`.
    let name: String
    /// The lock directory: the lock file is `directory/lock`.
    let directory: String
    /// Port of its Jolokia endpoint.
    let jolokiaPort: Int
    /// Port it opens for OpenWire once master.
    let openWirePort: Int
    /// The pid file the broker writes.
    let pidFile: String
    /// Its stdout and stderr (the lab broker's log).
    let logFile: String
    private let owner: String
    private let arguments: [String]
    private let lock = NSLock()
    private var process: Process?

    /// Lays out a lab broker with `lockKeepAlivePeriod`/`lockAcquireSleepInterval` in ms; starts nothing.
    init(
        name: String, directory: String, owner: String, logDirectory: String,
        keepAliveMillis: Int64 = 2000, acquireMillis: Int64 = 1000, brokerVersion: String = "lab"
    ) throws {
        self.name = name
        self.directory = directory
        self.owner = owner
        self.jolokiaPort = try LoopbackPorts.shared.next()
        self.openWirePort = try LoopbackPorts.shared.next()
        self.pidFile = "\(logDirectory)/\(name).pid"
        self.logFile = "\(logDirectory)/\(name).log"
        self.arguments = [
            "lab-broker", "--name", name, "--dir", directory, "--host", "127.0.0.1",
            "--jolokia-port", "\(jolokiaPort)", "--openwire-port", "\(openWirePort)",
            "--lock-keep-alive", "\(keepAliveMillis)ms", "--lock-acquire-interval", "\(acquireMillis)ms",
            "--pid-file", pidFile, "--broker-version", brokerVersion, "--exit-with-parent",
        ]
    }

    /// Jolokia base URL (no trailing slash).
    var jolokiaURL: String { "http://127.0.0.1:\(jolokiaPort)/api/jolokia" }

    /// The running pid, or nil when not started or exited.
    var pid: pid_t? {
        lock.withLock {
            guard let process, process.isRunning else { return nil }
            return process.processIdentifier
        }
    }

    /// Whether it serves OpenWire: the independent master signal.
    var isAcceptingOpenWire: Bool { LoopbackTCP.isAccepting(port: openWirePort) }

    /// Starts (or restarts) the process.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AMQTopExecutable.path())
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: logFile) {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logFile) else {
            throw HarnessError.launch("cannot open \(logFile)")
        }
        defer { try? log.close() }
        log.seekToEndOfFile()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw HarnessError.launch("amqtop lab-broker \(name): \(error)")
        }
        ProcessReaper.shared.register(process.processIdentifier, owner: owner)
        lock.withLock { self.process = process }
    }

    /// Sends `signal` and waits until the process has exited (its lock is then released).
    func signal(_ signal: Int32, deadline: ContinuousClock.Instant = .now + .seconds(10)) async throws {
        guard let process = lock.withLock({ self.process }) else { return }
        let pid = process.processIdentifier
        if process.isRunning { kill(pid, signal) }
        try await eventually(deadline: deadline, pollInterval: .milliseconds(20), "lab broker \(name) (pid \(pid)) to exit") {
            !process.isRunning
        }
        ProcessReaper.shared.unregister(pid, owner: owner)
        lock.withLock { self.process = nil }
    }

    /// The last lines of its log, for failure messages.
    func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
