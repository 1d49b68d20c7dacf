import AMQTopCore
import Foundation
import Testing

/// ``BrokerLogLineParser`` on the logs real ActiveMQ 5.17.2 brokers write (log4j 1.2 with the
/// upstream pattern, as the harness configures them): the slaves' wait, the master's start,
/// and after a `kill -9` the next master's recovery line.
@Suite(.disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped"))
struct BrokerLogLinesOnRealActiveMQTests {
    /// Every line of `broker`'s log, parsed (nil for lines outside the pattern).
    static func lines(_ broker: ActiveMQBroker) -> [(text: String, parsed: BrokerLogLine?)] {
        let text = (try? String(contentsOfFile: broker.logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { (String($0), BrokerLogLineParser.parse($0)) }
    }

    @Test func realBrokerLogsGiveTheLockAndLifecycleEvents() async throws {
        try await ActiveMQGroup.withStarted(options: ActiveMQGroupOptions(name: "logs")) { group in
            let masterName = try await group.waitForMaster(deadline: .now + .seconds(30))
            let master = try group.broker(named: masterName)
            try await eventually(deadline: .now + .seconds(20), "\(masterName)'s log says started") {
                Self.lines(master).contains { line in
                    if case .started(let identity) = line.parsed?.event { return identity.brokerName == masterName }
                    return false
                }
            }
            for slave in group.brokers where slave != master {
                try await eventually(deadline: .now + .seconds(20), "\(slave.name)'s log says it waits for \(group.lockFilePath)") {
                    Self.lines(slave).contains { $0.parsed?.event == .waitingForLock(lockFile: group.lockFilePath) }
                }
            }
            let started = try #require(Self.lines(master).compactMap(\.parsed).first { if case .started = $0.event { true } else { false } })
            #expect(started.category == "org.apache.activemq.broker.BrokerService")
            #expect(started.level == "INFO")
            if case .started(let identity) = started.event {
                #expect(identity.version.hasPrefix("5."), "\(identity)")
                #expect(identity.brokerId.hasPrefix("ID:"), "\(identity)")
            }
            // A line starting with a date is in the pattern; the rest are stack-trace continuations.
            for broker in group.brokers {
                let unparsed = Self.lines(broker).filter { $0.parsed == nil && $0.text.first?.isNumber == true }
                #expect(unparsed.isEmpty, "\(broker.name): \(unparsed.map(\.text))")
            }

            try await group.kill9(master)
            let nextName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [masterName])
            let next = try group.broker(named: nextName)
            try await eventually(deadline: .now + .seconds(20), "\(nextName) logs the recovery after \(masterName)'s crash") {
                Self.lines(next).contains { $0.parsed?.event == .recoveringAfterUncleanShutdown }
            }
            let events = Self.lines(next).compactMap(\.parsed?.event)
            let waited = try #require(events.firstIndex(of: .waitingForLock(lockFile: group.lockFilePath)))
            let recovered = try #require(events.firstIndex(of: .recoveringAfterUncleanShutdown))
            #expect(waited < recovered, "\(nextName) waited as a slave before it recovered the store")
        }
    }
}
