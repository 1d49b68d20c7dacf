import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real ActiveMQ Classic shared-file master/slave group, run as separate `java` processes.
///
/// Notes for whoever uses or changes this harness:
/// - Layout: `init` creates a temporary directory with `shared/` (the KahaDB directory every
///   broker points at; the lock file is `shared/lock`) and `b1` ... `bN` broker bases,
///   each with `conf/activemq.xml`, `conf/log4j.properties`, `lib/` (Jolokia and Jetty
///   jar links) and `data/` (`activemq.log`, `console.log`, `activemq.pid`). Nothing runs
///   until ``start()``, so the files can be inspected without Java.
/// - Java runs directly, not through Debian's `/usr/bin/activemq`, because that script
///   re-reads `/usr/share/activemq/activemq-options`, which overrides `ACTIVEMQ_BASE`.
///   The `--add-opens`/`--add-exports` flags are the script's. The harness writes the pid
///   file itself.
/// - Debian's 5.17.2 logs through log4j 1.2, so `log4j.properties` is the file that
///   counts; `log4j2.properties` is written too for upstream distributions.
/// - Master detection is a TCP connect to each OpenWire port: only the master opens its
///   transport connectors.
/// - Jolokia is a Jetty bean in the broker's Spring XML. Before `<broker>` it starts first
///   and slaves answer (`Slave=true`, and `IllegalStateException` for `BrokerName`); after
///   it, as in the stock distribution, a slave refuses connections.
/// - Cleanup: ``stopAll()`` SIGKILLs every broker; ``ProcessReaper`` SIGKILLs leftovers at
///   exit and a watchdog shell does so if the test process dies without exiting cleanly.
///   Set `AMQTOP_KEEP_ACTIVEMQ_DIRS=1` to keep the directory (and its logs) afterwards.
/// - For `amqtop` itself: ``writeAMQTopConfig(to:poll:lockPoll:timeout:includePidFiles:)``
///   writes an `amqtop.yaml` describing this group, ``AMQTopExecutable`` runs the built
///   binary, and ``runAMQTop(_:deadline:environment:)`` does both (`--config` appended).
actor ActiveMQGroup {
    /// The options the group was built with.
    let options: ActiveMQGroupOptions
    /// Temporary directory holding everything of this group.
    let rootDirectory: String
    /// The KahaDB directory shared by all brokers.
    let sharedDirectory: String
    /// KahaDB's lock file: `shared/lock`.
    let lockFilePath: String
    /// The brokers, `b1` ... `bN`, in order.
    let brokers: [ActiveMQBroker]

    /// Wall-clock milliseconds since the epoch just before the first broker was launched.
    private(set) var launchedAtMillis: Int64?
    private var processes: [String: Process] = [:]
    private var watchdog: Process?

    /// Lays out the directory tree and broker files; starts nothing.
    init(options: ActiveMQGroupOptions = ActiveMQGroupOptions()) throws {
        precondition(options.count >= 1, "a group needs at least one broker")
        self.options = options
        var template = Array("\(NSTemporaryDirectory())/amqtop-itest-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        guard let created else {
            throw HarnessError.layout("mkdtemp failed: errno \(errno)")
        }
        // Resolve symlinks so the paths match what the JVM and /proc report.
        let root = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
        rootDirectory = root
        sharedDirectory = "\(root)/shared"
        lockFilePath = "\(root)/shared/lock"
        ProcessReaper.shared.removeAtExit(root)
        try FileManager.default.createDirectory(atPath: sharedDirectory, withIntermediateDirectories: true)
        var brokers: [ActiveMQBroker] = []
        for index in 1...options.count {
            let broker = ActiveMQBroker(
                name: "b\(index)",
                baseDirectory: "\(root)/b\(index)",
                openWirePort: try LoopbackPorts.shared.next(),
                jolokiaPort: try LoopbackPorts.shared.next()
            )
            try ActiveMQBrokerFiles.write(broker, sharedDirectory: sharedDirectory, options: options)
            brokers.append(broker)
        }
        self.brokers = brokers
    }

    deinit {
        ProcessReaper.shared.killAll(owner: rootDirectory)
        if let watchdog {
            kill(watchdog.processIdentifier, SIGKILL)
        }
    }

    /// Lays out a group, starts it, waits for a master, runs `body`, and always stops it.
    static func withStarted<T: Sendable>(
        options: ActiveMQGroupOptions = ActiveMQGroupOptions(),
        masterDeadline: Duration = .seconds(60),
        _ body: (ActiveMQGroup) async throws -> T
    ) async throws -> T {
        let group = try ActiveMQGroup(options: options)
        do {
            try await group.start()
            _ = try await group.waitForMaster(deadline: .now + masterDeadline)
            let result = try await body(group)
            await group.stopAll()
            return result
        } catch {
            await group.stopAll()
            throw error
        }
    }

    /// The broker called `name`.
    nonisolated func broker(named name: String) throws -> ActiveMQBroker {
        guard let broker = brokers.first(where: { $0.name == name }) else {
            throw HarnessError.unknownBroker("\(name) is not in \(brokers.map(\.name))")
        }
        return broker
    }

    /// Launches every broker (all at once, so they race for the lock as in production).
    func start() throws {
        try ActiveMQInstallation.requireInstalled()
        if watchdog == nil {
            watchdog = try ProcessReaper.startWatchdog(root: rootDirectory)
        }
        if launchedAtMillis == nil {
            launchedAtMillis = Self.wallClockMillis()
        }
        for broker in brokers {
            try start(broker)
        }
    }

    /// Launches one broker (again), e.g. to bring a killed master back as a slave.
    func start(_ broker: ActiveMQBroker) throws {
        try ActiveMQInstallation.requireInstalled()
        if let running = processes[broker.name], running.isRunning {
            throw HarnessError.launch("\(broker.name) is already running as pid \(running.processIdentifier)")
        }
        if launchedAtMillis == nil {
            launchedAtMillis = Self.wallClockMillis()
        }
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: broker.consoleFile) {
            _ = fileManager.createFile(atPath: broker.consoleFile, contents: nil)
        }
        guard let console = FileHandle(forWritingAtPath: broker.consoleFile) else {
            throw HarnessError.launch("cannot open \(broker.consoleFile)")
        }
        defer { try? console.close() }
        console.seekToEndOfFile()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ActiveMQInstallation.javaExecutable)
        process.arguments = Self.javaArguments(for: broker, maxHeapMegabytes: options.maxHeapMegabytes)
        process.currentDirectoryURL = URL(fileURLWithPath: broker.baseDirectory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = console
        process.standardError = console
        do {
            try process.run()
        } catch {
            throw HarnessError.launch("java for \(broker.name): \(error)")
        }
        let pid = process.processIdentifier
        ProcessReaper.shared.register(pid, owner: rootDirectory)
        processes[broker.name] = process
        do {
            try "\(pid)\n".write(toFile: broker.pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw HarnessError.launch("cannot write \(broker.pidFile): \(error)")
        }
    }

    /// The java pid of `broker`, or nil when the harness has not started it or it has exited.
    func pid(of broker: ActiveMQBroker) -> pid_t? {
        guard let process = processes[broker.name], process.isRunning else { return nil }
        return process.processIdentifier
    }

    /// Whether `broker`'s JVM is running.
    func isRunning(_ broker: ActiveMQBroker) -> Bool {
        processes[broker.name]?.isRunning ?? false
    }

    /// Brokers whose OpenWire port accepts a connection right now: the master(s).
    nonisolated func brokersAcceptingOpenWire() -> [ActiveMQBroker] {
        brokers.filter { LoopbackTCP.isAccepting(port: $0.openWirePort) }
    }

    /// Polls OpenWire ports until one accepts and returns that broker's name.
    ///
    /// Fails early, with the tail of each log, if every JVM has exited: that is a broken
    /// configuration, and waiting out the deadline would only hide it.
    func waitForMaster(deadline: ContinuousClock.Instant, excluding excluded: Set<String> = []) async throws -> String {
        try await eventuallyValue(deadline: deadline, "a master among \(brokers.map(\.name)) in \(rootDirectory)") {
            if let master = brokersAcceptingOpenWire().first(where: { !excluded.contains($0.name) }) {
                return master.name
            }
            if !processes.isEmpty && processes.values.allSatisfy({ !$0.isRunning }) {
                throw HarnessError.brokersExited(diagnostics())
            }
            return nil
        }
    }

    /// SIGKILLs `broker` and waits until its JVM is gone (so its lock is released).
    func kill9(_ broker: ActiveMQBroker, deadline: ContinuousClock.Instant = .now + .seconds(15)) async throws {
        try await signal(broker, SIGKILL, deadline: deadline)
    }

    /// SIGTERMs `broker` (a graceful broker shutdown via the JVM's shutdown hook) and waits
    /// until it exits; SIGKILLs it if it is still there at `deadline`.
    func stop(_ broker: ActiveMQBroker, deadline: ContinuousClock.Instant = .now + .seconds(30)) async throws {
        do {
            try await signal(broker, SIGTERM, deadline: deadline)
        } catch HarnessError.deadlineExceeded(let what) {
            try await kill9(broker)
            throw HarnessError.deadlineExceeded("\(what) (SIGKILLed instead)")
        }
    }

    /// SIGKILLs every JVM this group started, waits for them, stops the watchdog and
    /// removes the directory (unless `AMQTOP_KEEP_ACTIVEMQ_DIRS=1`). Never throws: it is
    /// the cleanup on failure paths too.
    func stopAll() async {
        for broker in brokers where processes[broker.name] != nil {
            try? await kill9(broker)
        }
        if let watchdog {
            kill(watchdog.processIdentifier, SIGKILL)
            self.watchdog = nil
        }
        if !ActiveMQInstallation.keepDirectories {
            try? FileManager.default.removeItem(atPath: rootDirectory)
            ProcessReaper.shared.forgetDirectory(rootDirectory)
        }
    }

    /// Each broker's name, pid and the last lines of its logs, for failure messages.
    func diagnostics(lines: Int = 15) -> String {
        brokers.map { broker in
            let pid = processes[broker.name].map { "\($0.processIdentifier)" } ?? "-"
            let running = isRunning(broker) ? "running" : "not running"
            return "\(broker.name) pid \(pid) \(running)\n"
                + "  \(broker.logFile):\n\(Self.tail(broker.logFile, lines: lines))\n"
                + "  \(broker.consoleFile):\n\(Self.tail(broker.consoleFile, lines: lines))"
        }.joined(separator: "\n")
    }

    /// Writes an `amqtop.yaml` describing this group (default: `ROOT/amqtop.yaml`) and returns its path.
    @discardableResult
    nonisolated func writeAMQTopConfig(
        to path: String? = nil,
        poll: Duration = .seconds(1),
        lockPoll: Duration = .milliseconds(250),
        timeout: Duration = .seconds(2),
        includePidFiles: Bool = true
    ) throws -> String {
        let path = path ?? "\(rootDirectory)/amqtop.yaml"
        let config = AMQTopConfigFile(
            poll: poll, lockPoll: lockPoll, timeout: timeout,
            groups: [
                AMQTopConfigFile.Group(
                    name: options.name,
                    lockFile: lockFilePath,
                    lockKeepAlivePeriod: options.lockKeepAlivePeriod,
                    lockAcquireSleepInterval: options.lockAcquireSleepInterval,
                    brokers: brokers.map {
                        AMQTopConfigFile.Broker(
                            name: $0.name, jolokia: $0.jolokiaURL, openwire: $0.openWireURI,
                            pidFile: includePidFiles ? $0.pidFile : nil)
                    }
                )
            ]
        )
        try config.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the built `amqtop` with `--config` pointing at a freshly written `amqtop.yaml`
    /// for this group, e.g. `runAMQTop(["status", "--json"])`.
    nonisolated func runAMQTop(
        _ arguments: [String],
        deadline: ContinuousClock.Instant = .now + .seconds(30),
        environment: [String: String]? = nil
    ) async throws -> CommandResult {
        let config = try writeAMQTopConfig()
        return try await AMQTopExecutable.run(
            arguments + ["--config", config], deadline: deadline,
            environment: environment, currentDirectory: rootDirectory)
    }

    private func signal(_ broker: ActiveMQBroker, _ signal: Int32, deadline: ContinuousClock.Instant) async throws {
        guard let process = processes[broker.name] else {
            throw HarnessError.unknownBroker("\(broker.name) was never started")
        }
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, signal)
        }
        try await eventually(deadline: deadline, pollInterval: .milliseconds(25), "\(broker.name) (pid \(pid)) to exit after signal \(signal)") {
            !process.isRunning
        }
        // Foundation has reaped it, so the pid may be recycled from now on: forget it.
        ProcessReaper.shared.unregister(pid, owner: rootDirectory)
        processes[broker.name] = nil
    }

    /// The command line Debian's `/usr/bin/activemq` would run, minus its user switching.
    static func javaArguments(for broker: ActiveMQBroker, maxHeapMegabytes: Int) -> [String] {
        [
            "-Xmx\(maxHeapMegabytes)m",
            "--add-reads=java.xml=java.logging",
            "--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "-Dactivemq.home=\(ActiveMQInstallation.home)",
            "-Dactivemq.base=\(broker.baseDirectory)",
            "-Dactivemq.conf=\(broker.configurationDirectory)",
            "-Dactivemq.data=\(broker.dataDirectory)",
            "-Dactivemq.classpath=\(broker.configurationDirectory)",
            "-jar", ActiveMQInstallation.runJar,
            "start", "xbean:file:\(broker.configurationFile)",
        ]
    }

    private static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func tail(_ path: String, lines: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "    (unreadable)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            .map { "    \($0)" }.joined(separator: "\n")
    }
}
