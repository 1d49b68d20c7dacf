import AMQTopActions
import AMQTopCore
import AMQTopProbes
import Foundation

/// Stops a broker that runs on another host, by its configured method, on that host.
///
/// - `signal`: SIGTERM to the pid in the pid file, sent by the host's own shell (through the
///   shared session: it is instant);
/// - `command`: the argument list, each argument one quoted word, in a one-off ssh session of
///   its own, so a slow stop script cannot hold up the probes sharing the host's session;
/// - `jolokia`: `exec stop` through the host's forward; a broker whose Jolokia policy forbids
///   it says so, with the advice to use `signal` or `command`.
public struct RemoteStopper: BrokerStopping {
    public let pool: HostPool
    public let jolokia: ForwardedJolokiaProbe
    public let timeoutMillis: Int64
    public let commandTimeoutMillis: Int64

    public init(pool: HostPool, jolokia: ForwardedJolokiaProbe, timeoutMillis: Int64, commandTimeoutMillis: Int64 = 30_000) {
        self.pool = pool
        self.jolokia = jolokia
        self.timeoutMillis = timeoutMillis
        self.commandTimeoutMillis = commandTimeoutMillis
    }

    /// Stops `broker` on its host; never throws.
    public func stop(_ broker: BrokerConfig) async -> StopOutcome {
        guard let host = broker.host, let connection = pool.connection(host) else { return .refused("the broker has no configured host") }
        switch broker.stop {
        case .signal:
            guard let pidFile = broker.pidFile, let script = RemoteScripts.signalStop(pidFile: pidFile) else {
                return .refused("no usable pidFile configured for signal")
            }
            switch await connection.run(script, timeoutMillis: timeoutMillis) {
            case .failure(let failure): return .failed(failure.message)
            case .success(let reply): return Self.signalOutcome(reply.text, host: host, pidFile: pidFile)
            }
        case .command(let arguments):
            guard let command = RemoteScripts.command(arguments) else { return .refused("the stop command has no arguments or a NUL") }
            return await runOneShot(command, connection: connection)
        case .jolokia:
            guard let observation = await jolokia.poll(broker) else { return .refused("no Jolokia URL configured") }
            guard let name = observation.mbeanBrokerName ?? broker.mbeanBrokerName else {
                return .failed(observation.error?.summary ?? "broker MBean not found")
            }
            guard let error = await jolokia.stop(broker, mbeanName: name) else {
                return .sent("Jolokia exec stop answered status 200 (through \(host))")
            }
            if case .jolokia(_, let message) = error, message.localizedCaseInsensitiveContains("forbidden") {
                return .refused("the broker's Jolokia policy forbids stop (\(message)); configure stop: signal or stop: command for it")
            }
            return StopExecutor.outcome(of: .failed(error))
        }
    }

    /// The outcome for `RemoteScripts.signalStop`'s answer.
    static func signalOutcome(_ text: String, host: String, pidFile: String) -> StopOutcome {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.first {
        case "sent": return .sent("SIGTERM sent to pid \(words.dropFirst().first ?? "?") on \(host)")
        case "nopid": return .refused("no pid file at \(pidFile) on \(host)")
        case "notapid": return .refused("no pid in \(pidFile) on \(host)")
        case "dead": return .refused("pid \(words.dropFirst().first ?? "?") in \(pidFile) is not running on \(host)")
        default: return .failed("unexpected answer from \(host): \(text.prefix(120))")
        }
    }

    private func runOneShot(_ command: String, connection: HostConnection) async -> StopOutcome {
        var environment = ProcessInfo.processInfo.environment
        environment["SSH_ASKPASS_REQUIRE"] = "never"
        let line = connection.commandLine
        let child: SpawnedChild
        do {
            child = try SpawnedChild(executable: line.executable, arguments: [line.executable] + line.oneShotArguments(command: command), environment: environment)
        } catch {
            return .failed("cannot run ssh: \((error as? SpawnError)?.message ?? "\(error)")")
        }
        child.closeInput()
        let collected = OutputBuffer()
        let errors = OutputBuffer()
        SpawnedChild.readUntilEOF(child.stdoutFD, name: "amqtop-stop-out") { data in
            if let data { collected.append(data) } else { collected.finish() }
        }
        SpawnedChild.readUntilEOF(child.stderrFD, name: "amqtop-stop-err") { data in
            if let data { errors.append(data) } else { errors.finish() }
        }
        let deadline = Uptime.millis() + commandTimeoutMillis
        while child.isRunning || !collected.isFinished || !errors.isFinished, Uptime.millis() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        guard let status = child.exitStatus else {
            child.kill()
            return .failed("the stop command on \(connection.host.name) did not finish within \(commandTimeoutMillis) ms")
        }
        let text = (collected.text + errors.text).trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 0 { return .sent("stop command ran on \(connection.host.name)") }
        if status == 255 {
            return .failed(RemoteFailure(host: connection.host.name, state: SSHErrorClassifier.classify(stderr: errors.text, exitStatus: 255)).message)
        }
        return .failed("stop command on \(connection.host.name) exited \(status)" + (text.isEmpty ? "" : ": \(text.suffix(300))"))
    }
}

/// A one-off command's output, filled by its reader thread.
private final class OutputBuffer: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func append(_ chunk: Data) { lock.withLock { if data.count < 65_536 { data.append(chunk) } } }
    func finish() { lock.withLock { done = true } }
    var isFinished: Bool { lock.withLock { done } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
