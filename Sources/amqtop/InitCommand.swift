import AMQTopCore
import ArgumentParser
import Foundation

/// `amqtop init`: writes an `amqtop.yaml` from the brokers' own `activemq.xml` files.
///
/// The values an operator used to type by hand (lock file, keep-alive, acquire interval)
/// come from what the brokers actually run with; where the brokers of one store disagree,
/// every difference is named on stderr and in the file. Exit 0 clean, 1 something
/// reported, 2 a group without exclusion (`useLock="false"`), 3 unreadable input.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Print an amqtop.yaml built from brokers' activemq.xml files.")

    @Option(name: .long, help: ArgumentHelp("Write the config here instead of stdout (never over an existing file).", valueName: "FILE"))
    var output: String?

    @Option(name: .customLong("activemq-base"), help: ArgumentHelp("${activemq.base} (default: the conf directory's parent).", valueName: "DIR"))
    var activemqBase: String?

    @Option(name: .customLong("activemq-conf"), help: ArgumentHelp("${activemq.conf} (default: the XML's directory).", valueName: "DIR"))
    var activemqConf: String?

    @Option(name: .customLong("activemq-data"), help: ArgumentHelp("${activemq.data} (default: BASE/data).", valueName: "DIR"))
    var activemqData: String?

    @Option(name: .customLong("activemq-home"), help: ArgumentHelp("${activemq.home} (default: BASE).", valueName: "DIR"))
    var activemqHome: String?

    @Argument(help: ArgumentHelp("The brokers' activemq.xml files.", valueName: "FILE"))
    var files: [String]

    func run() throws {
        let loader = BrokerFileLoader(base: activemqBase, conf: activemqConf, data: activemqData, home: activemqHome)
        let definitions: [BrokerDefinition]
        do {
            definitions = try loader.load(files)
        } catch let error as BrokerFileError {
            throw Self.failure("\(error)")
        }
        let plan = BrokerGrouper.plan(definitions)
        let yaml = InitYAMLRenderer.render(plan, sources: files)
        // The point of init is a file the other commands accept: check it before anyone relies on it.
        do {
            _ = try ConfigParser(fileName: "generated amqtop.yaml", environment: [:], checkPasswordFile: { _ in nil }).parse(yaml)
        } catch {
            throw Self.failure("internal error, the generated config does not parse: \(error)")
        }
        for finding in plan.findings + plan.notes {
            StandardError.line("amqtop: init: \(finding)")
        }
        if let output {
            guard !FileManager.default.fileExists(atPath: output) else {
                throw Self.failure("\(output): exists; remove it or choose another --output")
            }
            do {
                try yaml.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw Self.failure("\(output): cannot write: \(error.localizedDescription)")
            }
        } else {
            StandardOutput.write(yaml)
        }
        if plan.exitCode != 0 { throw ExitCode(plan.exitCode) }
    }

    private static func failure(_ message: String) -> ExitCode {
        StandardError.line("amqtop: \(message)")
        return ExitCode(ExitCodes.unknown)
    }
}
