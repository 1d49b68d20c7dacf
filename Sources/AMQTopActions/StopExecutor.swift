import AMQTopCore
import AMQTopProbes
import Foundation

/// Sends a stop to one broker by its configured method and says what happened.
///
/// Methods: Jolokia `exec stop`, SIGTERM to the pid in the broker's pid file, or an
/// argument list run without a shell. Nothing here ever touches a lock file.
public struct StopExecutor: Sendable {
    private let jolokia: JolokiaProbe
    /// How long a `stopCommand` may run before it counts as failed.
    private let commandTimeoutMillis: Int64

    public init(jolokia: JolokiaProbe, commandTimeoutMillis: Int64 = 30_000) {
        self.jolokia = jolokia
        self.commandTimeoutMillis = commandTimeoutMillis
    }

    /// Stops `broker`; never throws: every failure is an outcome to show and audit.
    public func stop(_ broker: BrokerConfig) async -> StopOutcome {
        switch broker.stop {
        case .jolokia:
            return Self.outcome(of: await jolokia.stop(broker))
        case .signal:
            guard let pidFile = broker.pidFile else { return .refused("no pidFile configured for signal") }
            return Self.signal(pidFile: pidFile)
        case .command(let arguments):
            return await Self.run(arguments, timeoutMillis: commandTimeoutMillis)
        }
    }

    /// What a Jolokia `exec stop` came to.
    ///
    /// ActiveMQ runs `stop` inside the request, and when Jolokia is served from the broker's
    /// own JVM, that JVM can exit before the answer is written: the connection is then closed
    /// or reset mid-answer. The request had arrived and the broker is going down (seen with
    /// real ActiveMQ 5.17.2 in ActionsAndHistoryTests: the broker stopped, another took over,
    /// while the drill said "stop not sent"), so that counts as sent and the drill watches
    /// the takeover; if the broker did not in fact stop, the drill fails on its bound. Errors
    /// before a connection existed (refused, no route, DNS) stay failures.
    public static func outcome(of stop: JolokiaStopOutcome) -> StopOutcome {
        switch stop {
        case .accepted:
            return .sent("Jolokia exec stop answered status 200")
        case .failed(.connection(let detail)) where closedMidAnswer.contains(detail):
            return .sent("Jolokia exec stop sent; the broker closed the connection before answering (\(detail)), as a stopping broker does")
        case .failed(let error):
            return .failed(error.summary)
        }
    }

    /// `EndpointError.connection` details that mean an open connection was cut, not that none was made.
    static let closedMidAnswer: Set<String> = ["closed by the broker before the answer was complete", "reset by the peer", "closed by the peer"]

    /// SIGTERM to the live pid in `pidFile`.
    static func signal(pidFile: String) -> StopOutcome {
        let process = PidProbe.read(pidFile: pidFile)
        guard process.state == .alive, let pid = process.pid else {
            switch process.state {
            case .dead: return .refused("pid \(process.pid.map(String.init) ?? "?") in \(pidFile) is not running")
            case .noPidFile: return .refused("no pid file at \(pidFile)")
            case .unreadable(let why): return .refused("pid file \(pidFile) unreadable: \(why)")
            case .unreachable(let why): return .refused("host unreachable: \(why)")
            case .alive: return .refused("no pid in \(pidFile)")
            }
        }
        guard kill(pid, SIGTERM) == 0 else {
            return .failed("kill(\(pid), SIGTERM): \(String(cString: strerror(errno)))")
        }
        return .sent("SIGTERM sent to pid \(pid)")
    }

    /// Runs an argument list without a shell, with a deadline; exit 0 means sent.
    static func run(_ arguments: [String], timeoutMillis: Int64) async -> StopOutcome {
        guard let program = arguments.first, let executable = resolve(program) else {
            return .refused("command not found: \(arguments.first ?? "(empty)")")
        }
        return await StopCommand(executable: executable, arguments: arguments, timeoutMillis: timeoutMillis).run()
    }

    /// Finds `program` in PATH (or takes it as a path when it has a slash).
    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
