import AMQTopCore
import Dispatch
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// One lab broker process: waits for the shared lock as a slave, then serves as master
/// (OpenWire listener, `Slave=false`) until stopped, killed, or its keep-alive fails.
///
/// It follows ActiveMQ's `SharedFileLocker`/`LockFile` so lab and real brokers exclude each
/// other on one lock file. It ends the process itself (`exit`): the kernel then releases the
/// POSIX lock, exactly as when a JVM exits.
public final class LabBroker: Sendable {
    /// The settings this broker runs with.
    public let configuration: LabBrokerConfiguration
    private let state: LabBrokerState
    private let log: LabLog
    private let group: MultiThreadedEventLoopGroup

    /// Prepares a broker; nothing starts until `run()`.
    public init(configuration: LabBrokerConfiguration) {
        self.configuration = configuration
        self.state = LabBrokerState(
            configuration: configuration, startMillis: LabClock.nowMillis(),
            hostName: ProcessInfo.processInfo.hostName)
        self.log = LabLog(brokerName: configuration.name)
        // One thread: the lab shares a small machine with the real work.
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Runs the broker until the process ends. Never returns normally.
    public func run() async throws -> Never {
        let signalTrap = installSignalHandlers()
        defer { signalTrap.cancel() }
        try writePidFile()
        if configuration.exitWithParent { watchParent() }
        log.info(
            "Apache ActiveMQ \(configuration.brokerVersion) (\(configuration.name), \(state.brokerId)) is starting"
                + " (amqtop lab broker, pid \(getpid()))")

        var httpServer: JolokiaHTTPServer?
        if !configuration.silentSlaves {
            httpServer = try await startHTTP()
        }

        let lockFile = LabLockFile(path: configuration.lockFilePath)
        let hadToWait = try await acquire(lockFile)
        try lockFile.writeTimestamp(millis: LabClock.nowMillis())
        log.info("Lock acquired on \(configuration.lockFilePath)")
        if hadToWait, configuration.lockKeepAlivePeriodMillis > 0 {
            // ActiveMQ waits one keep-alive period so the previous holder's keep-alive can notice and stop.
            try await Task.sleep(for: .milliseconds(configuration.lockKeepAlivePeriodMillis))
        }

        let openWire: OpenWireListener
        do {
            openWire = try await OpenWireListener.start(
                group: group, host: configuration.host, port: configuration.openWirePort, state: state)
        } catch {
            terminate("cannot listen on \(configuration.openWireURI): \(error)", code: 1)
        }
        state.becomeMaster()
        if httpServer == nil {
            httpServer = try await startHTTP()
        }
        log.info("Listening for connections at: \(configuration.openWireURI)")
        log.info("Apache ActiveMQ \(configuration.brokerVersion) (\(configuration.name), \(state.brokerId)) started")

        if configuration.lockKeepAlivePeriodMillis > 0 {
            while true {
                try await Task.sleep(for: .milliseconds(configuration.lockKeepAlivePeriodMillis))
                if let reason = lockFile.keepAliveFailure() {
                    log.warn(reason)
                    log.warn("\(configuration.name), no longer able to keep the exclusive lock so giving up being a master")
                    await openWire.close()
                    await httpServer?.close()
                    terminate("lost the lock", code: 0)
                }
            }
        }
        while true {
            try await Task.sleep(for: .seconds(3600))
        }
    }

    /// Retries `tryLock` every `lockAcquireSleepInterval`; true when it had to wait.
    private func acquire(_ lockFile: LabLockFile) async throws -> Bool {
        var waited = false
        while true {
            if try lockFile.tryLock() { return waited }
            if !waited {
                log.info(
                    "Database \(configuration.lockFilePath) is locked by another server. This broker is now in slave"
                        + " mode waiting a lock to be acquired")
                waited = true
            }
            try await Task.sleep(for: .milliseconds(max(1, configuration.lockAcquireSleepIntervalMillis)))
        }
    }

    private func startHTTP() async throws -> JolokiaHTTPServer {
        do {
            return try await JolokiaHTTPServer.start(group: group, state: state) { [self] action in
                switch action {
                case .stopBroker:
                    terminate("stop requested through Jolokia", code: 0)
                }
            }
        } catch {
            terminate("cannot listen on \(configuration.jolokiaURL): \(error)", code: 1)
        }
    }

    /// Logs and ends the process; the kernel releases the lock.
    ///
    /// The pid file stays: a broker that stopped then reads "process N not running" (down),
    /// as a killed JVM's does, rather than "no pid file", which says nothing about the process.
    /// The next start of this broker overwrites it; `LabGroup.stop()` removes it at the end.
    public func terminate(_ reason: String, code: Int32) -> Never {
        log.info("Apache ActiveMQ \(configuration.brokerVersion) (\(configuration.name), \(state.brokerId)) is shutting down: \(reason)")
        // _exit: skip atexit work while event-loop threads still run; nothing is buffered.
        _exit(code)
    }

    private func writePidFile() throws {
        guard let pidFile = configuration.pidFile else { return }
        do {
            try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw LabError.invalid("cannot write pid file \(pidFile): \(error)")
        }
    }

    private func installSignalHandlers() -> SignalTrap {
        SignalTrap([SIGTERM, SIGINT, SIGHUP]) { [self] signalNumber in
            terminate("signal \(signalNumber)", code: 0)
        }
    }

    /// Polls the parent pid: when the launcher dies we are re-parented and should go too.
    private func watchParent() {
        // The launcher's pid as it passed it: a launcher killed before this line ran would
        // otherwise be recorded as init's pid 1, and the broker would outlive it forever.
        let parent = ProcessInfo.processInfo.environment[LabGroup.parentEnvironmentVariable].flatMap { Int32($0) } ?? getppid()
        if getppid() != parent { terminate("the launching process exited", code: 0) }
        Thread.detachNewThread { [self] in
            while true {
                usleep(250_000)
                if getppid() != parent { terminate("the launching process exited", code: 0) }
            }
        }
    }
}
