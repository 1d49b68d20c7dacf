import AMQTopCore
import Foundation
import Testing

/// The harness's files and the `amqtop` runner, checked without starting Java.
@Suite struct HarnessLayoutTests {
    @Test func laysOutSharedDirectoryAndBrokerBases() async throws {
        let group = try ActiveMQGroup(options: ActiveMQGroupOptions(count: 2, jolokiaBeforeBroker: false))
        defer { try? FileManager.default.removeItem(atPath: group.rootDirectory) }

        #expect(group.lockFilePath == "\(group.rootDirectory)/shared/lock")
        #expect(group.brokers.map(\.name) == ["b1", "b2"])
        #expect(Set(group.brokers.flatMap { [$0.openWirePort, $0.jolokiaPort] }).count == 4)
        for broker in group.brokers {
            let xml = try String(contentsOfFile: broker.configurationFile, encoding: .utf8)
            #expect(xml.contains("brokerName=\"\(broker.name)\""))
            #expect(xml.contains("<kahaDB directory=\"\(group.sharedDirectory)\" lockKeepAlivePeriod=\"2000\">"))
            #expect(xml.contains("<shared-file-locker lockAcquireSleepInterval=\"1000\"/>"))
            #expect(xml.contains("uri=\"tcp://127.0.0.1:\(broker.openWirePort)\""))
            let jettyAt = try #require(xml.range(of: "org.eclipse.jetty.server.Server"))
            let brokerAt = try #require(xml.range(of: "<broker "))
            #expect(jettyAt.lowerBound > brokerAt.lowerBound, "Jolokia must come after <broker> here")
            for name in ActiveMQInstallation.jolokiaJarNames {
                let link = try FileManager.default.destinationOfSymbolicLink(atPath: "\(broker.libraryDirectory)/\(name).jar")
                #expect(link == "/usr/share/java/\(name).jar")
            }
            #expect(FileManager.default.fileExists(atPath: "\(broker.configurationDirectory)/log4j.properties"))
            // The text checks above find what the harness wrote; an XML parser that is not the
            // harness's (python3's) must also read the file and find the same settings in it.
            let parsed = try await CommandRunner.run("/usr/bin/env", ["python3", "-c", Self.xmlSettings, broker.configurationFile],
                                                     deadline: .now + .seconds(30))
            #expect(parsed.exitCode == 0, "python3 cannot parse \(broker.configurationFile): \(parsed.stderr)")
            #expect(parsed.stdout.split(separator: "\n").map(String.init) == [
                "brokerName=\(broker.name)", "kahaDB=\(group.sharedDirectory) keepAlive=2000",
                "locker=1000", "openwire=tcp://127.0.0.1:\(broker.openWirePort)",
            ], "\(parsed.stdout)")
        }
        await group.stopAll()
    }

    /// Prints, from a broker's Spring XML as python3's ElementTree parses it, the settings the
    /// harness claims to write: names, namespaces and nesting all have to be right.
    static let xmlSettings = """
        import sys, xml.etree.ElementTree as ET
        root = ET.parse(sys.argv[1]).getroot()
        ns = "{http://activemq.apache.org/schema/core}"
        broker = root.find(ns + "broker")
        kaha = broker.find(ns + "persistenceAdapter/" + ns + "kahaDB")
        locker = kaha.find(ns + "locker/" + ns + "shared-file-locker")
        connector = broker.find(ns + "transportConnectors/" + ns + "transportConnector")
        print("brokerName=" + broker.get("brokerName"))
        print("kahaDB=" + kaha.get("directory") + " keepAlive=" + kaha.get("lockKeepAlivePeriod"))
        print("locker=" + locker.get("lockAcquireSleepInterval"))
        print("openwire=" + connector.get("uri").split("?")[0])
        """

    @Test func writesAMQTopConfigForItsGroup() async throws {
        let group = try ActiveMQGroup(options: ActiveMQGroupOptions(name: "lab", count: 2))
        defer { try? FileManager.default.removeItem(atPath: group.rootDirectory) }
        let root = group.rootDirectory
        let (b1, b2) = (group.brokers[0], group.brokers[1])

        let path = try group.writeAMQTopConfig()

        #expect(path == "\(root)/amqtop.yaml")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == """
            poll: 1s
            lockPoll: 250ms
            timeout: 2s
            groups:
              - name: lab
                lockFile: \(root)/shared/lock
                lockKeepAlivePeriod: 2s
                lockAcquireSleepInterval: 1s
                brokers:
                  - name: b1
                    jolokia: http://127.0.0.1:\(b1.jolokiaPort)/api/jolokia
                    openwire: tcp://127.0.0.1:\(b1.openWirePort)
                    pidFile: \(root)/b1/data/activemq.pid
                  - name: b2
                    jolokia: http://127.0.0.1:\(b2.jolokiaPort)/api/jolokia
                    openwire: tcp://127.0.0.1:\(b2.openWirePort)
                    pidFile: \(root)/b2/data/activemq.pid

            """)
        let withoutPids = try group.writeAMQTopConfig(to: "\(root)/nopid.yaml", lockPoll: .milliseconds(1500), includePidFiles: false)
        let text = try String(contentsOfFile: withoutPids, encoding: .utf8)
        #expect(!text.contains("pidFile"))
        #expect(text.contains("lockPoll: 1500ms"))
        await group.stopAll()
    }

    @Test func productConfigLoaderReadsTheWrittenConfig() async throws {
        let group = try ActiveMQGroup(options: ActiveMQGroupOptions(name: "lab", count: 3))
        defer { try? FileManager.default.removeItem(atPath: group.rootDirectory) }

        let config = try ConfigLoader().load(path: try group.writeAMQTopConfig())

        #expect(config.pollMillis == 1000)
        #expect(config.lockPollMillis == 250)
        #expect(config.timeoutMillis == 2000)
        let loaded = try #require(config.group(named: "lab"))
        #expect(loaded.lockFile == group.lockFilePath)
        #expect(loaded.lockKeepAlivePeriodMillis == 2000)
        #expect(loaded.lockAcquireSleepIntervalMillis == 1000)
        #expect(loaded.brokers.map(\.name) == group.brokers.map(\.name))
        for broker in group.brokers {
            let entry = try #require(loaded.broker(named: broker.name))
            #expect(entry.jolokia == broker.jolokiaURL)
            #expect(entry.openwire == HostPort(host: broker.host, port: broker.openWirePort))
            #expect(entry.pidFile == broker.pidFile)
        }
        await group.stopAll()
    }

    @Test func missingActiveMQIsAFailureThatNamesTheWayOut() {
        // The real-broker suite fails rather than skips when ActiveMQ is missing; say why here too.
        if !ActiveMQInstallation.skipRequested {
            #expect(ActiveMQInstallation.problem() == nil)
        }
        let message = ActiveMQInstallation.problem(runJar: "/nonexistent/activemq.jar")
        #expect(message?.contains("/nonexistent/activemq.jar") == true)
        #expect(message?.contains("AMQTOP_SKIP_ACTIVEMQ=1") == true)
    }

    @Test func runsTheBuiltAMQTopExecutable() async throws {
        let path = try AMQTopExecutable.path()
        #expect(path.hasSuffix("/amqtop"))

        let result = try await AMQTopExecutable.run(["--help"], deadline: .now + .seconds(30))

        #expect(!result.timedOut)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.isEmpty)
    }
}
