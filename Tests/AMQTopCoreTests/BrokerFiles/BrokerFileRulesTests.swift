import Testing
@testable import AMQTopCore

/// Drift, live: the brokers' own activemq.xml (`brokerXml:`) against each other and against amqtop.yaml.
struct BrokerFileRulesTests {
    typealias X = BrokerFileFixtures

    static let group = GroupConfig(
        name: "orders", lockFile: "/srv/san/orders/lock", lockKeepAlivePeriodMillis: 2000, lockAcquireSleepIntervalMillis: 1000,
        brokers: ["b1", "b2", "b3"].map { BrokerConfig(name: $0, brokerXml: "/opt/\($0)/conf/activemq.xml") })

    /// The group's alerts when each broker's file is `xml` (nil: not read).
    static func alerts(_ files: [String?]) throws -> [Alert] {
        var brokers: [BrokerObservation] = []
        for (index, xml) in files.enumerated() {
            let name = "b\(index + 1)"
            let reading = try xml.map { text in
                BrokerFileReading(file: "/opt/\(name)/conf/activemq.xml", atMillis: 0, definition: try X.read(text, instance: name).first)
            }
            brokers.append(BrokerObservation(name: name, brokerFile: reading))
        }
        let observation = GroupObservation(name: "orders", brokers: brokers)
        return GroupAssessor.assess(group: Self.group, observation: observation, nowMillis: 0).alerts
            .filter { $0.code.rawValue.hasPrefix("BROKER_FILE") }
    }

    @Test func filesThatAgreeWithEachOtherAndTheConfigRaiseNothing() throws {
        #expect(try Self.alerts([X.broker(name: "b1"), X.broker(name: "b2"), X.broker(name: "b3")]).isEmpty)
        #expect(try Self.alerts([nil, nil, nil]).isEmpty)
    }

    @Test func anotherKeepAliveIsDriftAndDisagreement() throws {
        let alerts = try Self.alerts([X.broker(name: "b1"), X.broker(name: "b2", keepAlive: "5000"), X.broker(name: "b3")])
        #expect(alerts.map(\.code) == [.brokerFileDrift, .brokerFilesDisagree], "\(alerts)")
        #expect(alerts.allSatisfy { $0.severity == .warning })
        #expect(alerts[0].broker == "b2")
        #expect(alerts[0].message.contains("lockKeepAlivePeriod 5s (amqtop.yaml 2s)"), "\(alerts[0].message)")
        #expect(alerts[1].message == "The brokers' activemq.xml disagree on lockKeepAlivePeriod: b1 2s, b2 5s, b3 2s.")
    }

    @Test func useLockFalseAndAnotherDirectoryAreCritical() throws {
        let alerts = try Self.alerts([X.broker(name: "b1"), X.broker(name: "b2", useLock: "false"), X.broker(name: "b3", directory: "/srv/elsewhere")])
        #expect(alerts.allSatisfy { $0.severity == .critical }, "\(alerts)")
        #expect(Set(alerts.map(\.code)) == [.brokerFileNoLock, .brokerFileDrift, .brokerFilesDisagree])
        #expect(alerts.contains { $0.code == .brokerFileNoLock && $0.broker == "b2" })
        #expect(alerts.contains { $0.code == .brokerFileDrift && $0.broker == "b3" && $0.message.contains("/srv/elsewhere/lock") })
        #expect(alerts.contains { $0.message.hasPrefix("The brokers' activemq.xml disagree on store:") })
        #expect(alerts.contains { $0.message.hasPrefix("The brokers' activemq.xml disagree on useLock:") })
    }

    @Test func anUnreadableFileSaysWhy() {
        let observation = GroupObservation(name: "orders", brokers: [
            BrokerObservation(name: "b1", brokerFile: BrokerFileReading(file: "/opt/b1/conf/activemq.xml", atMillis: 0, problem: "/opt/b1/conf/activemq.xml:3: broker: unclosed element")),
        ])
        let alerts = GroupAssessor.assess(group: Self.group, observation: observation, nowMillis: 0).alerts.filter { $0.code == .brokerFileUnreadable }
        #expect(alerts.count == 1)
        #expect(alerts.first?.message.contains("/opt/b1/conf/activemq.xml:3: broker: unclosed element") == true)
    }
}
