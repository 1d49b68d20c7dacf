import AMQTopCore
import ArgumentParser

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
}
