import AMQTopCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A group of lab broker processes around one shared lock directory: lays out ports, pid
/// files and `amqtop.yaml`, starts `amqtop lab-broker` processes, restarts them when asked to,
/// and stops every process it started.
///
/// Used by `amqtop lab`, later by `amqtop demo`, and in-process by tests.
public actor LabGroup {
    /// The environment variable a lab broker reads its Jolokia password from, so the
    /// secret never appears on a command line (visible to every user in `ps`).
    public static let passwordEnvironmentVariable = "AMQTOP_LAB_PASSWORD"
    /// The environment variable that tells a broker its launcher's pid, so `--exit-with-parent`
    /// holds even when the launcher dies before the broker first looks.
    public static let parentEnvironmentVariable = "AMQTOP_LAB_PARENT"

    /// The options the group was laid out with.
    public nonisolated let options: LabGroupOptions
    /// The shared directory; the lock file is `directory/lock`.
    public nonisolated let directory: String
    /// Each broker's configuration, in order (`lab1`, `lab2`, ...).
    public nonisolated let brokers: [LabBrokerConfiguration]
    /// The `amqtop.yaml` written for the group.
    public nonisolated let configPath: String
    /// The 0600 password file named in the configuration, when the group has a password.
    public nonisolated let passwordFile: String?

    private var processes: [String: Process] = [:]
    private var stopping = false
    private var startCounts: [String: Int] = [:]

    /// Lays out a group: claims its directory (`LabDirectory`: one of the lab's own, or a new
    /// or empty one) and picks free ports. Nothing runs yet.
    public init(options: LabGroupOptions) throws {
        guard (1...LabGroupOptions.maximumBrokerCount).contains(options.brokerCount) else {
            throw LabError.invalid("--brokers must be between 1 and \(LabGroupOptions.maximumBrokerCount) (got \(options.brokerCount))")
        }
        guard options.lockAcquireSleepIntervalMillis > 0 else {
            throw LabError.invalid("--lock-acquire-interval must be above 0")
        }
        guard options.lockKeepAlivePeriodMillis >= 0 else { throw LabError.invalid("--lock-keep-alive must not be negative") }
        self.options = options
        let directory: String
        do {
            directory = try LabDirectory.claim(options.directory)
        } catch let refusal as LabDirectory.Refusal {
            throw LabError.invalid(refusal.description)
        }
        self.directory = directory
        self.configPath = directory + "/amqtop.yaml"
        self.passwordFile = options.password == nil ? nil : directory + "/password"
        let ports = try FreePorts.allocate(options.brokerCount * 2)
        self.brokers = (0..<options.brokerCount).map { index in
            let name = "\(options.groupName)\(index + 1)"
            return LabBrokerConfiguration(
                name: name,
                directory: directory,
                jolokiaPort: ports[index * 2],
                openWirePort: ports[index * 2 + 1],
                lockKeepAlivePeriodMillis: options.lockKeepAlivePeriodMillis,
                lockAcquireSleepIntervalMillis: options.lockAcquireSleepIntervalMillis,
                silentSlaves: options.silentSlaves,
                username: options.username,
                password: options.password,
                pidFile: directory + "/\(name).pid",
                brokerVersion: options.brokerVersion,
                exitWithParent: true
            )
        }
    }

    /// The lock file shared by the group.
    public nonisolated var lockFilePath: String { directory + "/lock" }

    /// Where broker `name` writes its log.
    public nonisolated func logPath(of name: String) -> String { directory + "/\(name).log" }

    /// How to watch the group, for the terminal.
    public nonisolated var instructions: String {
        var text = "amqtop lab: \(EnglishText.count(brokers.count, "lab broker")) sharing \(lockFilePath)\n"
        for broker in brokers {
            text += "  \(broker.name): jolokia \(broker.jolokiaURL)  openwire \(broker.openWireURI)\n"
        }
        text += "Watch it with:\n  amqtop --config \(configPath)\n"
        text += "Stop it with Ctrl-C (logs: \(directory)/*.log)\n"
        return text
    }

    /// Writes the password file and `amqtop.yaml`, then starts every broker: all or none.
    ///
    /// When one cannot be started, the ones already running are stopped before the error is
    /// thrown, so a failed start leaves no broker without its parent.
    public func start() async throws {
        do {
            try startAll()
        } catch {
            await stop()
            throw error
        }
    }

    private func startAll() throws {
        if let password = options.password, let passwordFile {
            try LabGroup.writePrivateFile(passwordFile, contents: password + "\n")
        }
        let yaml = LabGroupConfigWriter.yaml(
            groupName: options.groupName,
            lockFile: lockFilePath,
            lockKeepAlivePeriodMillis: options.lockKeepAlivePeriodMillis,
            lockAcquireSleepIntervalMillis: options.lockAcquireSleepIntervalMillis,
            brokers: brokers,
            passwordFile: passwordFile
        )
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        for broker in brokers {
            try launch(broker)
        }
    }

    /// The pid of broker `name` while the group runs it.
    public func pid(of name: String) -> Int32? {
        guard let process = processes[name], process.isRunning else { return nil }
        return process.processIdentifier
    }

    /// How many times broker `name` has been started (1 after `start()`, +1 per respawn).
    public func startCount(of name: String) -> Int {
        startCounts[name] ?? 0
    }

    /// Sends `signalNumber` to broker `name` (SIGKILL to simulate a crash). False if it is not running.
    @discardableResult
    public func send(_ signalNumber: Int32, to name: String) -> Bool {
        guard let pid = pid(of: name) else { return false }
        return kill(pid, signalNumber) == 0
    }

    /// Stops every broker: SIGTERM, then SIGKILL for any still running after `grace`.
    public func stop(grace: Duration = .seconds(3)) async {
        stopping = true
        for process in processes.values where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
        }
        let deadline = ContinuousClock.now + grace
        while processes.values.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for process in processes.values where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        for process in processes.values {
            process.waitUntilExit()
        }
        removePidFiles()
        processes.removeAll()
    }

    /// Removes the pid files that still name a broker this group started, once all are stopped.
    ///
    /// A broker leaves its pid file when it exits (so a stopped broker reads as a stopped
    /// process); once the whole group is down, a file left naming a pid the system may reuse
    /// would only mislead the next reader. A file naming any other pid is not ours: kept.
    private func removePidFiles() {
        let ours = Set(processes.values.map(\.processIdentifier))
        for broker in brokers {
            guard let pidFile = broker.pidFile, let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), ours.contains(pid)
            else { continue }
            unlink(pidFile)
        }
    }

    /// Starts the group, prints `instructions`, and runs until SIGINT or SIGTERM; then stops it.
    ///
    /// The trap is set before the first broker starts: a signal during the start-up (the
    /// brokers launched, the trap not yet there) would otherwise end the launcher by default.
    public func runUntilSignalled() async throws {
        let (signals, arrived) = AsyncStream<Int32>.makeStream()
        let trap = SignalTrap([SIGINT, SIGTERM]) { arrived.yield($0) }
        defer { trap.cancel() }
        try await start()
        StandardOutput.write(instructions)
        for await _ in signals { break }
        StandardOutput.write("Stopping the lab brokers...\n")
        await stop()
    }

    private func launch(_ broker: LabBrokerConfiguration) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.executablePath)
        process.arguments = LabGroup.brokerArguments(broker)
        var environment = ProcessInfo.processInfo.environment
        environment[LabGroup.passwordEnvironmentVariable] = broker.password
        environment[LabGroup.parentEnvironmentVariable] = String(getpid())
        process.environment = environment
        let log = try LabGroup.appendingHandle(logPath(of: broker.name))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let name = broker.name
        process.terminationHandler = { [weak self] ended in
            let pid = ended.processIdentifier
            Task { await self?.brokerExited(name, pid: pid) }
        }
        try process.run()
        try? log.close()
        processes[name] = process
        startCounts[name, default: 0] += 1
    }

    private func brokerExited(_ name: String, pid: Int32) {
        guard !stopping, let delay = options.respawnDelayMillis,
            processes[name]?.processIdentifier == pid,
            let broker = brokers.first(where: { $0.name == name })
        else { return }
        Task {
            try? await Task.sleep(for: .milliseconds(delay))
            self.respawn(broker, replacing: pid)
        }
    }

    private func respawn(_ broker: LabBrokerConfiguration, replacing pid: Int32) {
        guard !stopping, processes[broker.name]?.processIdentifier == pid else { return }
        do {
            try launch(broker)
        } catch {
            StandardError.line("amqtop lab: cannot restart \(broker.name): \(error)")
        }
    }

    /// The hidden subcommand line that runs `broker`; the password travels in the environment.
    public static func brokerArguments(_ broker: LabBrokerConfiguration) -> [String] {
        var arguments = [
            "lab-broker",
            "--name", broker.name,
            "--dir", broker.directory,
            "--host", broker.host,
            "--jolokia-port", String(broker.jolokiaPort),
            "--openwire-port", String(broker.openWirePort),
            "--lock-keep-alive", "\(broker.lockKeepAlivePeriodMillis)ms",
            "--lock-acquire-interval", "\(broker.lockAcquireSleepIntervalMillis)ms",
            "--username", broker.username,
            "--broker-version", broker.brokerVersion,
        ]
        if let pidFile = broker.pidFile { arguments += ["--pid-file", pidFile] }
        if broker.silentSlaves { arguments.append("--silent-slaves") }
        if broker.exitWithParent { arguments.append("--exit-with-parent") }
        return arguments
    }

    /// The running executable's own path (`/proc/self/exe` resolved), to start brokers from.
    public static func currentExecutablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return CommandLine.arguments.first ?? "amqtop"
    }

    private static func writePrivateFile(_ path: String, contents: String) throws {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LabError.system("create \(path)", errno) }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw LabError.system("write \(path)", errno) }
    }

    private static func appendingHandle(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LabError.system("open \(path)", errno) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
