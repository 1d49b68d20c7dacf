import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A lab group of two brokers (or a real ActiveMQ group) and one `amqtop serve` process watching it, on loopback.
///
/// Everything it starts is registered with ``ProcessReaper`` (killed at exit, however the
/// test ends) and its directory is removed by `stop()` or at exit.
final class ServeHarness: @unchecked Sendable {
    let root: String
    let brokers: [LabBrokerProcess]
    let port: Int
    let configPath: String
    let historyPath: String
    let logPath: String
    /// TLS and basic auth for serve (`--web.config.file`); requests then go through curl.
    let web: ServeWebFixture?
    /// Serve's environment (its own `XDG_*` directories, say); nil inherits the test's.
    let environment: [String: String]?
    private let lock = NSLock()
    private var serve: Process?

    /// Lays out the group and its config (poll 250 ms, `timeout` per request); starts nothing.
    ///
    /// `secondJolokia` replaces the second broker's Jolokia URL (a listener that never answers, say).
    init(name: String = "lab", timeout: Duration = .seconds(1), secondJolokia: String? = nil, web: ServeWebFixture? = nil) throws {
        let root = Self.makeRoot()
        self.root = root
        self.web = web
        environment = nil
        let shared = "\(root)/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        brokers = try (1...2).map { i in
            try LabBrokerProcess(name: "\(name)\(i)", directory: shared, owner: root, logDirectory: root, keepAliveMillis: 1000, acquireMillis: 500)
        }
        port = try LoopbackPorts.shared.next()
        configPath = "\(root)/amqtop.yaml"
        historyPath = "\(root)/history.sqlite"
        logPath = "\(root)/serve.log"
        let config = AMQTopConfigFile(
            poll: .milliseconds(250), lockPoll: .milliseconds(250), timeout: timeout,
            groups: [AMQTopConfigFile.Group(
                name: name, lockFile: "\(shared)/lock", lockKeepAlivePeriod: .seconds(1), lockAcquireSleepInterval: .milliseconds(500),
                brokers: brokers.map { AMQTopConfigFile.Broker(name: $0.name, jolokia: $0.name.hasSuffix("2") ? (secondJolokia ?? $0.jolokiaURL) : $0.jolokiaURL, openwire: "tcp://127.0.0.1:\($0.openWirePort)", pidFile: $0.pidFile) })])
        try ("history: \"\(historyPath)\"\n" + config.yaml).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Serve watching a started real ActiveMQ group (poll 500 ms, lock poll 250 ms); starts nothing and owns no broker.
    init(watching group: ActiveMQGroup, web: ServeWebFixture? = nil) throws {
        root = Self.makeRoot()
        self.web = web
        environment = nil
        brokers = []
        port = try LoopbackPorts.shared.next()
        configPath = "\(root)/amqtop.yaml"
        historyPath = "\(root)/history.sqlite"
        logPath = "\(root)/serve.log"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try group.writeAMQTopConfig(to: configPath, poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(2))
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        try ("history: \"\(historyPath)\"\n" + text).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Serve on a config file the test wrote (with its `history:` at `history`), in `environment`; starts nothing.
    init(config: String, history: String, environment: [String: String]? = nil) throws {
        root = Self.makeRoot()
        web = nil
        self.environment = environment
        brokers = []
        port = try LoopbackPorts.shared.next()
        configPath = config
        historyPath = history
        logPath = "\(root)/serve.log"
    }

    private static func makeRoot() -> String {
        let root = NSTemporaryDirectory() + "amqtop-serve-\(UUID().uuidString.prefix(8))"
        ProcessReaper.shared.removeAtExit(root)
        return root
    }

    var baseURL: String { "\(web == nil ? "http" : "https")://127.0.0.1:\(port)" }

    /// Starts both brokers and waits for one to serve OpenWire; returns the master.
    func startBrokers() async throws -> LabBrokerProcess {
        for broker in brokers { try broker.start() }
        return try await eventuallyValue(deadline: .now + .seconds(20), "a lab master") {
            brokers.first { $0.isAcceptingOpenWire }
        }
    }

    /// Starts `amqtop serve` on the group and (unless told not to) waits until `/healthz` answers 200.
    func startServe(waitForHealth: Bool = true) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AMQTopExecutable.path())
        process.arguments = ["serve", "--config", configPath, "--listen", "127.0.0.1:\(port)"] + (web.map { ["--web.config.file", $0.webConfigPath] } ?? [])
        if let environment { process.environment = environment }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        ProcessReaper.shared.register(process.processIdentifier, owner: root)
        lock.withLock { serve = process }
        guard waitForHealth else { return }
        try await eventually(deadline: .now + .seconds(20), "serve's /healthz to answer 200\n\(logTail())") {
            (try? await self.get("/healthz").status) == 200
        }
    }

    /// GETs `path` from serve: status, body and Content-Type.
    /// With a web config: over TLS with the right credentials, through curl.
    func get(_ path: String, accept: String? = nil) async throws -> (status: Int, body: String, contentType: String) {
        if let web {
            let answer = try await web.curl(baseURL + path, config: web.curlGood, accept: accept)
            return (answer.status, answer.body, answer.headers["content-type"] ?? "")
        }
        return try await Self.get(baseURL + path, accept: accept)
    }

    static func get(_ url: String, accept: String? = nil) async throws -> (status: Int, body: String, contentType: String) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    /// The value of the one sample line starting with `series` (name and labels exactly), if present.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// The pid of the running serve.
    var servePid: pid_t? { lock.withLock { serve.map(\.processIdentifier) } }

    /// Sends `signal` to the running serve without waiting (SIGHUP: reload).
    func sendToServe(_ signal: Int32) throws {
        guard let process = lock.withLock({ serve }), process.isRunning else { throw HarnessError.launch("serve is not running") }
        kill(process.processIdentifier, signal)
    }

    /// Sends `signal` to serve and waits for it to exit; returns its exit status.
    @discardableResult
    func signalServe(_ signal: Int32, deadline: ContinuousClock.Instant = .now + .seconds(15)) async throws -> Int32 {
        guard let process = lock.withLock({ serve }) else { return 0 }
        kill(process.processIdentifier, signal)
        try await eventually(deadline: deadline, pollInterval: .milliseconds(50), "serve to exit after signal \(signal)") { !process.isRunning }
        ProcessReaper.shared.unregister(process.processIdentifier, owner: root)
        lock.withLock { serve = nil }
        return process.terminationStatus
    }

    /// The last lines of serve's log, for failure messages.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// SIGKILLs the lab brokers (serve goes on watching a group with none).
    func stopBrokers() async {
        for broker in brokers { try? await broker.signal(SIGKILL) }
    }

    /// Kills whatever still runs and removes the directory.
    func stop() async {
        if let process = lock.withLock({ serve }), process.isRunning { _ = try? await signalServe(SIGKILL) }
        await stopBrokers()
        ProcessReaper.shared.killAll(owner: root)
        if !ActiveMQInstallation.keepDirectories {
            try? FileManager.default.removeItem(atPath: root)
            ProcessReaper.shared.forgetDirectory(root)
        }
    }
}
