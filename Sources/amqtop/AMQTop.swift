import AMQTopCore
import ArgumentParser
import Foundation

/// The `amqtop` command line: the dashboard (to come) and its helper subcommands.
@main
struct AMQTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amqtop",
        abstract: "A terminal dashboard for ActiveMQ Classic shared file system master/slave groups.",
        version: AMQTopVersion.string,
        subcommands: [DashboardCommand.self, StatusCommand.self, ServeCommand.self, DrillCommand.self, AuditCommand.self, LabCommand.self, DemoCommand.self, LabBrokerCommand.self, HistoryCommand.self, InitCommand.self],
        defaultSubcommand: DashboardCommand.self
    )

    /// ArgumentParser's own `main`, except that its messages about a bad command line go out
    /// through `StandardError`, the output sanitiser.
    ///
    /// Those messages quote the user's argument ("The value '…' is invalid for '--port'"),
    /// and `exit(withError:)` printed them raw: an ESC in an argument pasted from elsewhere
    /// reached the terminal. The exit codes are ArgumentParser's own (`exitCode(for:)`).
    /// Help, `--version` and completion scripts (clean exits, amqtop's own text, which a
    /// shell may `source`) still go to stdout unchanged.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitSanitised(error)
        }
    }

    /// Prints `error`'s message the way `exit(withError:)` does, sanitised when it is an error, and exits with its code.
    static func exitSanitised(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        let text = fullMessage(for: error)
        if !text.isEmpty {
            if code == .success {
                print(text)
            } else {
                StandardError.lines(text)
            }
        }
        Foundation.exit(code.rawValue)
    }
}
