import AMQTopLab
import ArgumentParser
import Foundation

/// `amqtop lab-broker` (hidden): one lab broker process, started by `amqtop lab`.
struct LabBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-broker",
        abstract: "Run one lab broker (started by `amqtop lab`).",
        shouldDisplay: false
    )

    @Option var name: String
    @Option var dir: String
    @Option var host = "127.0.0.1"
    @Option(name: .customLong("jolokia-port")) var jolokiaPort: Int
    @Option(name: .customLong("openwire-port")) var openWirePort: Int
    @Option(name: .customLong("lock-keep-alive")) var lockKeepAlive = "2s"
    @Option(name: .customLong("lock-acquire-interval")) var lockAcquireInterval = "1s"
    @Flag(name: .customLong("silent-slaves")) var silentSlaves = false
    @Option var username = "admin"
    @Option(name: .customLong("password-file"), help: "Basic-auth password file (else $AMQTOP_LAB_PASSWORD).")
    var passwordFile: String?
    @Option(name: .customLong("pid-file")) var pidFile: String?
    @Option(name: .customLong("broker-version")) var brokerVersion = "lab"
    @Flag(name: .customLong("exit-with-parent")) var exitWithParent = false

    func run() async throws {
        let environmentPassword = ProcessInfo.processInfo.environment[LabGroup.passwordEnvironmentVariable]
        let configuration = LabBrokerConfiguration(
            name: name,
            directory: dir,
            host: host,
            jolokiaPort: jolokiaPort,
            openWirePort: openWirePort,
            lockKeepAlivePeriodMillis: try LabCommand.milliseconds(lockKeepAlive, flag: "--lock-keep-alive"),
            lockAcquireSleepIntervalMillis: try LabCommand.milliseconds(lockAcquireInterval, flag: "--lock-acquire-interval"),
            silentSlaves: silentSlaves,
            username: username,
            password: try passwordFile.map(LabCommand.readPassword) ?? environmentPassword.flatMap { $0.isEmpty ? nil : $0 },
            pidFile: pidFile,
            brokerVersion: brokerVersion,
            exitWithParent: exitWithParent
        )
        try await LabBroker(configuration: configuration).run()
    }
}
