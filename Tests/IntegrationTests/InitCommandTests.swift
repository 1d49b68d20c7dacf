import AMQTopCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop init` through the built binary, on real broker files: Debian's package's, and the
/// ones the integration harness gives its real 3-broker groups. The product's own
/// ``ConfigParser`` reads the output back, so the file is checked as `status` will read it.
@Suite struct InitCommandTests {
    /// A scratch directory removed by the caller.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-init-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// `text` written as `ROOT/NAME/conf/activemq.xml`; returns its path.
    static func instance(_ root: String, _ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: "\(root)/\(name)/conf", withIntermediateDirectories: true)
        let path = "\(root)/\(name)/conf/activemq.xml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func parse(_ result: CommandResult) throws -> AppConfig {
        try ConfigParser(fileName: "init output", environment: [:], checkPasswordFile: { _ in nil }).parse(result.stdout)
    }

    /// Debian's instance template in a temporary instance layout: one group, the `${activemq.base}` store resolved.
    @Test func debianInstanceTemplate() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let text = try String(contentsOfFile: "/etc/activemq/instances-available/main/activemq.xml", encoding: .utf8)
        let file = try Self.instance(root, "main", text)
        let result = try await AMQTopExecutable.run(["init", file])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let config = try Self.parse(result)
        let group = try #require(config.groups.first, "\(result.stdout)")
        #expect(config.groups.count == 1)
        #expect(group.name == "main")
        #expect(group.lockFile == "\(root)/main/data/kahadb/lock")
        #expect(group.lockKeepAlivePeriodMillis == 0)
        #expect(group.lockAcquireSleepIntervalMillis == 10_000)
        #expect(group.brokers.map(\.mbeanBrokerName) == ["localhost"])
        #expect(group.brokers.first?.openwire == HostPort(host: "127.0.0.1", port: 61616))
        #expect(result.stderr.contains("is the only broker on \(root)/main/data/kahadb"), "\(result.stderr)")

        // Debian's own layout: the conf directory under /etc, the base under /var/lib.
        let flagged = try await AMQTopExecutable.run(["init", "--activemq-base", "/var/lib/activemq/main", file])
        #expect(flagged.exitCode == 0, "stderr: \(flagged.stderr)")
        #expect(try Self.parse(flagged).groups.first?.lockFile == "/var/lib/activemq/main/data/kahadb/lock")
    }

    /// Debian's example conf (a journaled JDBC store) beside its `jetty.xml`: reported as not watchable.
    @Test func debianExampleConfIsReportedAsJDBC() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let examples = "/usr/share/doc/activemq/examples/conf"
        let file = try Self.instance(root, "example", try String(contentsOfFile: "\(examples)/activemq.xml", encoding: .utf8))
        try FileManager.default.copyItem(atPath: "\(examples)/jetty.xml", toPath: "\(root)/example/conf/jetty.xml")
        let result = try await AMQTopExecutable.run(["init", file])
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(try Self.parse(result).groups.isEmpty)
        #expect(result.stderr.contains("not watched: localhost (\(file)): <journalPersistenceAdapterFactory> is a JDBC store"), "\(result.stderr)")
    }

    /// The harness's real 3-broker group files (not started): group, lock path, brokers, intervals, endpoints.
    @Test func harnessGroupFiles() async throws {
        let options = ActiveMQGroupOptions(name: "init", lockKeepAlivePeriod: .milliseconds(3000), lockAcquireSleepInterval: .milliseconds(1500))
        let harness = try ActiveMQGroup(options: options)
        defer { try? FileManager.default.removeItem(atPath: harness.rootDirectory) }
        let output = "\(harness.rootDirectory)/generated.yaml"
        let result = try await AMQTopExecutable.run(["init", "--output", output] + harness.brokers.map(\.configurationFile))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let config = try ConfigLoader().load(path: output)
        let group = try #require(config.groups.first)
        #expect(config.groups.count == 1)
        #expect(group.name == URL(fileURLWithPath: harness.rootDirectory).lastPathComponent)
        #expect(group.lockFile == harness.lockFilePath)
        #expect(group.lockKeepAlivePeriodMillis == 3000)
        #expect(group.lockAcquireSleepIntervalMillis == 1500)
        #expect(group.brokers.map(\.name) == ["b1", "b2", "b3"])
        for (configured, broker) in zip(group.brokers, harness.brokers) {
            #expect(configured.mbeanBrokerName == broker.name)
            #expect(configured.jolokia == broker.jolokiaURL)
            #expect(configured.openwire.map { "tcp://\($0)" } == broker.openWireURI)
        }
        let again = try await AMQTopExecutable.run(["init", "--output", output, harness.brokers[0].configurationFile])
        #expect(again.exitCode == 3)
        #expect(again.stderr.contains("\(output): exists"), "\(again.stderr)")
    }

    /// Drifted copies of the harness's files: each difference reported on stderr and in the YAML.
    @Test func driftedCopiesAreEachReported() async throws {
        let harness = try ActiveMQGroup(options: ActiveMQGroupOptions(name: "drift"))
        let root = harness.rootDirectory
        defer { try? FileManager.default.removeItem(atPath: root) }
        func xml(_ index: Int) throws -> String { try String(contentsOfFile: harness.brokers[index].configurationFile, encoding: .utf8) }
        let keepAlive = try Self.instance(root, "keepalive", try xml(1).replacingOccurrences(of: "lockKeepAlivePeriod=\"2000\"", with: "lockKeepAlivePeriod=\"7000\""))
        let noLock = try Self.instance(root, "nolock", try xml(2).replacingOccurrences(of: "<kahaDB ", with: "<kahaDB useLock=\"false\" "))
        let elsewhere = try Self.instance(root, "elsewhere", try xml(2).replacingOccurrences(of: "\(root)/shared", with: "\(root)/other"))
        let jdbc = try Self.instance(root, "jdbc", try xml(2).replacingOccurrences(
            of: "<kahaDB directory=\"\(root)/shared\"", with: "<jdbcPersistenceAdapter dataSource=\"#pg\"")
            .replacingOccurrences(of: "</kahaDB>", with: "</jdbcPersistenceAdapter>"))
        let result = try await AMQTopExecutable.run(["init", harness.brokers[0].configurationFile, keepAlive, noLock, elsewhere, jdbc])
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        let stderr = result.stderr
        #expect(stderr.contains("CRITICAL: group"), "\(stderr)")
        #expect(stderr.contains("b3 (\(noLock)) sets useLock=\"false\""), "\(stderr)")
        #expect(stderr.contains("lockKeepAlivePeriod differs: 2000 ms on b1 (\(harness.brokers[0].configurationFile)), b3 (\(noLock)); 7000 ms on b2 (\(keepAlive))"), "\(stderr)")
        #expect(stderr.contains("b3 (\(elsewhere)) is alone on \(root)/other"), "\(stderr)")
        #expect(stderr.contains("not watched: b3 (\(jdbc)): <jdbcPersistenceAdapter> is a JDBC store"), "\(stderr)")
        let config = try Self.parse(result)
        #expect(config.groups.map(\.lockFile) == ["\(root)/shared/lock", "\(root)/other/lock"])
        #expect(result.stdout.contains("# CRITICAL: b3 (\(noLock))"), "\(result.stdout)")
        #expect(result.stdout.contains("# DIFFERS: lockKeepAlivePeriod differs"), "\(result.stdout)")
        #expect(result.stdout.contains("# NOT WATCHED: b3 (\(jdbc))"), "\(result.stdout)")
    }

    @Test func badXMLNamesFileLineAndElementAndExitsThree() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = try Self.instance(root, "bad", "<beans>\n  <broker brokerName=\"b1\">\n    <persistenceAdapter>\n      <kahaDB directory=\"/x\">\n    </persistenceAdapter>\n  </broker>\n</beans>\n")
        let result = try await AMQTopExecutable.run(["init", file])
        #expect(result.exitCode == 3, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("amqtop: \(file):5: <kahaDB>: not well-formed XML"), "\(result.stderr)")
    }

    /// A FIFO nobody writes to, a directory, and a HOST:PATH argument: a message each, no hang.
    @Test func fifoDirectoryAndRemoteArgumentsAreRefused() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fifo = "\(root)/activemq.xml"
        #expect(mkfifo(fifo, 0o644) == 0)
        let cases = [
            (fifo, "amqtop: \(fifo): is a FIFO, not an activemq.xml file"),
            (root, "amqtop: \(root): is a directory, not an activemq.xml file"),
            ("broker2:/etc/activemq/activemq.xml", "amqtop: broker2:/etc/activemq/activemq.xml: broker2 is in no hosts: list"),
        ]
        for (argument, message) in cases {
            // In an empty directory with no XDG config: no configuration, so no hosts: list.
            let result = try await AMQTopExecutable.run(
                ["init", argument], deadline: .now + .seconds(10), environment: ["XDG_CONFIG_HOME": root, "PATH": "/usr/bin:/bin"], currentDirectory: root)
            #expect(!result.timedOut, "\(argument) hung")
            #expect(result.exitCode == 3, "\(argument): exit \(result.exitCode), stderr: \(result.stderr)")
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        }
    }

    /// The generated config of a started real group, given to `status`: it names the master.
    @Test(.disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1"))
    func statusOnTheGeneratedConfigNamesTheMaster() async throws {
        try await ActiveMQGroup.withStarted(options: ActiveMQGroupOptions(name: "initlive")) { group in
            let output = "\(group.rootDirectory)/generated.yaml"
            let generated = try await AMQTopExecutable.run(["init", "--output", output] + group.brokers.map(\.configurationFile))
            #expect(generated.exitCode == 0, "stderr: \(generated.stderr)")
            let master = try await group.waitForMaster(deadline: .now + .seconds(30))
            let result = try await AMQTopExecutable.run(["status", "--json", "--config", output])
            let document = try StatusDocument(result.stdout)
            let entry = try #require(document.groups.first, "\(result.stdout)\n\(result.stderr)")
            #expect(entry.name == URL(fileURLWithPath: group.rootDirectory).lastPathComponent)
            #expect(entry.master == master, "\(entry.roles)")
            #expect(entry.lock?.path == group.lockFilePath)
            #expect(entry.lock?.held == true)
        }
    }
}
