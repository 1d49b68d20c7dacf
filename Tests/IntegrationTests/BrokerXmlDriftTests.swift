import Foundation
import Testing

/// Drift, live, on the activemq.xml files the real group's harness writes (no JVM needed: the
/// files are what is read): `amqtop status` with `brokerXml:` on each broker names where the
/// files and amqtop.yaml disagree, and where the brokers' files disagree with each other.
struct BrokerXmlDriftTests {
    struct Status: Decodable {
        struct Group: Decodable {
            struct Alert: Decodable { var code: String; var severity: String; var message: String }
            var alerts: [Alert]
        }
        var groups: [Group]
    }

    @Test func statusNamesTheDriftOfTheRealBrokerFiles() async throws {
        let group = try ActiveMQGroup(options: ActiveMQGroupOptions(name: "drift", lockKeepAlivePeriod: .seconds(2)))
        do {
            try await check(group)
            await group.stopAll()
        } catch {
            await group.stopAll()
            throw error
        }
    }

    /// The group's files read by `amqtop status`, then one drifted by hand.
    func check(_ group: ActiveMQGroup) async throws {
        // amqtop.yaml says 5 s; the brokers run with 2 s.
        let file = AMQTopConfigFile(
            poll: .seconds(1), lockPoll: .milliseconds(250), timeout: .milliseconds(300),
            groups: [AMQTopConfigFile.Group(
                name: "drift", lockFile: group.lockFilePath, lockKeepAlivePeriod: .seconds(5), lockAcquireSleepInterval: .seconds(1),
                brokers: group.brokers.map {
                    AMQTopConfigFile.Broker(name: $0.name, jolokia: $0.jolokiaURL, openwire: $0.openWireURI, brokerXml: $0.configurationFile)
                })])
        let config = "\(group.rootDirectory)/amqtop-drift.yaml"
        try file.yaml.write(toFile: config, atomically: true, encoding: .utf8)

        func alerts() async throws -> [Status.Group.Alert] {
            let result = try await AMQTopExecutable.run(["status", "--json", "--config", config], currentDirectory: group.rootDirectory)
            let status = try JSONDecoder().decode(Status.self, from: Data(result.stdout.utf8))
            return (status.groups.first?.alerts ?? []).filter { $0.code.hasPrefix("BROKER_FILE") }
        }
        let drifted = try await alerts()
        #expect(drifted.map(\.code) == ["BROKER_FILE_DRIFT", "BROKER_FILE_DRIFT", "BROKER_FILE_DRIFT"], "\(drifted)")
        #expect(drifted.allSatisfy { $0.message.contains("lockKeepAlivePeriod 2s (amqtop.yaml 5s)") }, "\(drifted)")

        // b2's file now says useLock="false": critical, and the brokers disagree.
        let b2 = try group.broker(named: "b2")
        let xml = try String(contentsOfFile: b2.configurationFile, encoding: .utf8)
        try xml.replacingOccurrences(of: "<kahaDB directory=", with: "<kahaDB useLock=\"false\" directory=")
            .write(toFile: b2.configurationFile, atomically: true, encoding: .utf8)
        let noLock = try await alerts()
        #expect(noLock.contains { $0.code == "BROKER_FILE_NO_LOCK" && $0.severity == "CRITICAL" && $0.message.hasPrefix("b2's ") }, "\(noLock)")
        #expect(noLock.contains { $0.code == "BROKER_FILES_DISAGREE" && $0.message.contains("useLock: b1 true, b2 false, b3 true") }, "\(noLock)")
    }
}
