import AMQTopCore
import AMQTopProbes
import AMQTopRemote
import ArgumentParser
import Foundation

/// `amqtop status`: one round of probes, printed as a table or one JSON document.
///
/// Exits with the Nagios plugin codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) so it drops
/// into existing monitoring; `watch -n1 amqtop status` is the poor man's dashboard.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Probe every group once and print the result (Nagios exit codes).")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "One JSON document instead of the table.")
    var json = false

    func run() async throws {
        let config = try options.resolveOrExit()
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        // Brokers on other hosts are probed through one SSH connection per host, opened
        // concurrently before the round and closed after it.
        let prober = try RemoteAwareProber.make(config: config, http: http)
        await prober.connect(timeoutMillis: config.timeoutMillis)
        let observations = await prober.probeAll(config)
        let report = StatusReport(groups: config.groups, observations: observations, nowMillis: TimeFormat.nowMillis())
        let document = RemoteStatusJSON.adding(to: StatusJSON.document(report), prober: prober, config: config)
        let hostsText = RemoteStatusJSON.text(prober.pool.statuses)
        await prober.close()
        await http.shutdown()
        let output = json ? document.serialized() + "\n" : StatusText.render(report) + hostsText
        StandardOutput.write(output)
        throw ExitCode(report.status.exitCode)
    }
}
