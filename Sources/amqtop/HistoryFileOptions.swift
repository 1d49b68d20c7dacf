import AMQTopCore
import AMQTopHistory
import ArgumentParser

/// `--history FILE` and `--config FILE`, shared by `amqtop history list` and `import`.
struct HistoryFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The history file.", valueName: "FILE"))
    var history: String?

    @Option(help: ArgumentHelp("The configuration file (its history: path, and for import its groups and hosts).", valueName: "FILE"))
    var config: String?
}
