import AMQTopCore
import ArgumentParser
import Foundation

/// The options every monitoring command shares: where the configuration comes from.
///
/// Either a file (`--config`, `./amqtop.yaml`, `$XDG_CONFIG_HOME/amqtop/config.yaml`) or
/// one group given on the command line. Passwords never come from flags: a command line
/// is visible to every user in `ps`.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Only this group.", valueName: "NAME"))
    var group: String?

    @Option(name: .customLong("lock-file"), help: ArgumentHelp("A group without a file: its KahaDB lock file.", valueName: "PATH"))
    var lockFile: String?

    @Option(name: .long, help: ArgumentHelp("A broker of that group (repeatable).", valueName: "NAME=URL"))
    var broker: [String] = []

    @Option(name: .long, help: ArgumentHelp("A broker's OpenWire address (repeatable).", valueName: "NAME=tcp://HOST:PORT"))
    var openwire: [String] = []

    @Option(name: .customLong("pid-file"), help: ArgumentHelp("A broker's pid file on this host (repeatable).", valueName: "NAME=PATH"))
    var pidFile: [String] = []

    @Option(name: .customLong("lock-keep-alive"), help: ArgumentHelp("The brokers' lockKeepAlivePeriod (0 = off).", valueName: "DURATION"))
    var lockKeepAlive: String?

    @Option(name: .customLong("lock-acquire-interval"), help: ArgumentHelp("The brokers' lockAcquireSleepInterval.", valueName: "DURATION"))
    var lockAcquireInterval: String?

    @Option(name: .long, help: ArgumentHelp("Per-request deadline, overriding the config.", valueName: "DURATION"))
    var timeout: String?

    /// Like `resolve()`, but a configuration error is printed (`FILE:LINE: KEY: ...`) and becomes exit 3.
    func resolveOrExit() throws -> AppConfig {
        do {
            return try resolve()
        } catch let error as ConfigError {
            throw ExitCodes.configFailure(error)
        }
    }

    /// Loads the configuration the flags name, narrowed to `--group`; throws `ConfigError`.
    func resolve() throws -> AppConfig {
        let adHoc = AdHocGroup(
            lockFile: lockFile, brokers: broker, openwire: openwire, pidFiles: pidFile,
            lockKeepAlivePeriod: lockKeepAlive, lockAcquireSleepInterval: lockAcquireInterval)
        var result: AppConfig
        if let config {
            guard !adHoc.isGiven else {
                throw ConfigError(file: "command line", line: nil, key: "--config", message: "give either --config or --lock-file/--broker, not both")
            }
            result = try ConfigLoader().load(path: config)
        } else if adHoc.isGiven {
            result = AppConfig(groups: [try adHoc.build()])
        } else if let path = ConfigLoader().defaultPath() {
            result = try ConfigLoader().load(path: path)
        } else {
            let searched = ConfigLoader().searchPaths.joined(separator: ", ")
            throw ConfigError(
                file: "command line", line: nil, key: nil,
                message: "no configuration: give --config FILE, or --lock-file PATH --broker NAME=URL (searched \(searched)); try `amqtop demo` for a lab group")
        }
        if let timeout {
            guard let ms = DurationParser.milliseconds(timeout), ms > 0 else {
                throw ConfigError(file: "command line", line: nil, key: "--timeout", message: DurationParser.problem(timeout) ?? "must be greater than 0")
            }
            result.timeoutMillis = ms
        }
        if let group {
            guard let only = result.group(named: group) else {
                let known = result.groups.map(\.name).joined(separator: ", ")
                throw ConfigError(file: result.sourcePath ?? "command line", line: nil, key: "--group", message: "no group named \(group) (groups: \(known))")
            }
            result.groups = [only]
        }
        return result
    }
}
