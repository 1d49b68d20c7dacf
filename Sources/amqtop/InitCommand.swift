import AMQTopCore
import AMQTopRemote
import ArgumentParser
import Foundation

/// `amqtop init`: writes an `amqtop.yaml` from the brokers' own `activemq.xml` files.
///
/// The values an operator used to type by hand (lock file, keep-alive, acquire interval)
/// come from what the brokers actually run with; where the brokers of one store disagree,
/// every difference is named on stderr and in the file. Exit 0 clean, 1 something
/// reported, 2 a group without exclusion (`useLock="false"`), 3 unreadable input.
struct InitCommand: AsyncParsableCommand {
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

    @Option(help: ArgumentHelp("A configuration whose hosts: list names the hosts of HOST:PATH arguments.", valueName: "FILE"))
    var config: String?

    @Argument(help: ArgumentHelp("The brokers' activemq.xml files (HOST:PATH: on a host of --config's hosts:, through its SSH session).", valueName: "FILE"))
    var files: [String]

    func run() async throws {
        let loader = BrokerFileLoader(base: activemqBase, conf: activemqConf, data: activemqData, home: activemqHome)
        var definitions: [BrokerDefinition] = []
        let remote = try await InitRemoteFiles.open(files, config: config)
        do {
            for file in files {
                if let remote, let host = BrokerFileLoader.remoteHost(file) {
                    definitions += try await remote.load(file, host: host, loader: loader)
                } else {
                    definitions += try loader.load(argument: file)
                }
            }
        } catch let error as BrokerFileError {
            await remote?.close()
            throw Self.failure("\(error)")
        } catch let error as RemoteFileReader.Failure {
            await remote?.close()
            throw Self.failure("\(error)")
        }
        await remote?.close()
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

    static func failure(_ message: String) -> ExitCode {
        StandardError.line("amqtop: \(message)")
        return ExitCode(ExitCodes.unknown)
    }
}
