import AMQTopCore
import AMQTopHistory
import AMQTopProbes
import AMQTopRuntime
import AMQTopServe
import ArgumentParser
import Foundation

/// `amqtop serve`: the dashboard's polling and history without a terminal, with metrics over HTTP.
///
/// Wiring only: the loop is `ServeLoop` (the dashboard's own loop, headless) and the
/// endpoint `MetricsHTTPServer`, both in AMQTopServe. SIGHUP re-reads the configuration
/// (a bad one keeps the running one, and says why), and the web config with it; SIGINT and
/// SIGTERM stop. TLS and basic auth come from `--web.config.file`, the flag and file format
/// of Prometheus exporters (exporter-toolkit), so the file an operator has for node_exporter works.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Poll and record the history without a terminal; serve /metrics (Prometheus, OpenMetrics), /healthz and /status.json.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Where to listen (loopback unless told otherwise).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:9638"

    @Option(name: .customLong("web.config.file"), help: ArgumentHelp(
        "TLS and basic auth, as Prometheus exporters' web config (tls_server_config: {cert_file, key_file}, basic_auth_users: {USER: BCRYPT-HASH}).",
        valueName: "FILE"))
    var webConfigFile: String?

    func run() async throws {
        var config = try options.resolveOrExit()
        let address: HostPort
        do {
            address = try Self.parseListen(listen)
        } catch let error as ValidationError {
            StandardError.line("amqtop: --listen: \(error.message)")
            throw ExitCode(ExitCodes.unknown)
        }
        var web = WebSettings.plain
        if let webConfigFile {
            do {
                web = try WebSettings.load(path: webConfigFile)
            } catch {
                StandardError.line("amqtop: --web.config.file: \(error)")
                throw ExitCode(ExitCodes.unknown)
            }
        }
        let signals = ServeSignals()
        let clock = SystemClock()
        let state = ServeState(clock: clock, localHost: ProcessInfo.processInfo.hostName)
        let server: MetricsHTTPServer
        do {
            server = try await MetricsHTTPServer.start(host: address.host, port: address.port, state: state, web: web)
        } catch {
            StandardError.line("amqtop: serve: cannot listen on \(listen): \(error)")
            throw ExitCode(ExitCodes.unknown)
        }
        let auth = web.authenticator.isEnabled ? ", basic auth" : ""
        StandardError.line("amqtop: serving \(web.scheme)://\(listen)/metrics\(auth) for \(EnglishText.count(config.groups.count, "group"))")
        var historyPath = HistoryLocation.resolve(configured: config.historyPath)
        var history = HistoryRecorder(path: historyPath, guarding: HistoryFileGuard(config: config), logFeed: BrokerLogTails(config: config))
        while true {
            let reason: StopReason
            do {
                reason = try await ServeLoop.run(config: config, state: state, history: history, signals: signals, clock: clock)
            } catch {
                StandardError.line("amqtop: serve: cannot reach the configured hosts: \(error)")
                await server.close()
                throw ExitCode(ExitCodes.unknown)
            }
            guard case .signal(SIGHUP) = reason else {
                StandardError.line("amqtop: serve: stopped (\(reason))")
                break
            }
            // A new configuration takes effect whole, or not at all.
            do {
                config = try options.resolve()
                StandardError.line("amqtop: serve: SIGHUP: configuration reloaded (\(EnglishText.count(config.groups.count, "group")))")
            } catch {
                StandardError.line("amqtop: serve: SIGHUP: keeping the running configuration: \(error)")
            }
            if let webConfigFile {
                do {
                    server.update(web: try WebSettings.load(path: webConfigFile))
                    StandardError.line("amqtop: serve: SIGHUP: web config reloaded")
                } catch {
                    StandardError.line("amqtop: serve: SIGHUP: keeping the running web config: \(error)")
                }
            }
            let newPath = HistoryLocation.resolve(configured: config.historyPath)
            if newPath != historyPath {
                historyPath = newPath
                history = HistoryRecorder(path: historyPath, guarding: HistoryFileGuard(config: config), logFeed: BrokerLogTails(config: config))
            }
        }
        await server.close()
    }

    /// `HOST:PORT` or `[V6]:PORT` (the host is required: listening beyond loopback is said explicitly).
    static func parseListen(_ text: String) throws -> HostPort {
        guard let address = HostPort(parsing: text), !address.host.isEmpty, (0...65535).contains(address.port) else {
            throw ValidationError("not HOST:PORT: \(text)")
        }
        return address
    }
}
