import Foundation
import Testing
@testable import AMQTopCore

/// Grouping by lock file, drift between brokers of one store, and the YAML the product reads back.
struct BrokerGrouperTests {
    typealias F = BrokerFileFixtures

    func definitions(_ xmls: [(String, String)]) throws -> [BrokerDefinition] {
        try xmls.flatMap { try F.read($0.1, instance: $0.0) }
    }

    /// An address the config parser would refuse (found by the brokerxml fuzz target) is left
    /// out with a note, so what `amqtop init` writes always loads.
    @Test func anOpenWireHostTheConfigRefusesIsLeftOutAndTheConfigLoads() throws {
        let xml = F.broker(name: "b1", openwire: "tcp://0;.0.0.0:61616")
        let broker = try #require(try F.read(xml).first)
        #expect(broker.openwire == nil)
        #expect(broker.notes.contains("OpenWire URI tcp://0;.0.0.0:61616: not a host name: 0;.0.0.0: left out"), "\(broker.notes)")
        let (yaml, config) = try F.roundTrip(BrokerGrouper.plan(try definitions([("b1", xml)])))
        #expect(config.groups.first?.brokers.first?.openwire == nil, "\(yaml)")
    }

    @Test func threeBrokersOfOneStoreRoundTripThroughTheConfigParser() throws {
        let plan = BrokerGrouper.plan(try definitions((1...3).map {
            ("b\($0)", F.broker(name: "b\($0)", openwire: "tcp://127.0.0.1:\(61615 + $0)", jolokiaPort: 8200 + $0))
        }))
        #expect(plan.findings.isEmpty, "\(plan.findings)")
        #expect(plan.exitCode == 0)
        let (yaml, config) = try F.roundTrip(plan)
        let group = try #require(config.groups.first, "\(yaml)")
        #expect(config.groups.count == 1)
        #expect(group.name == "orders")
        #expect(group.lockFile == "/srv/san/orders/lock")
        #expect(group.lockKeepAlivePeriodMillis == 2000)
        #expect(group.lockAcquireSleepIntervalMillis == 1000)
        #expect(group.brokers.map(\.name) == ["b1", "b2", "b3"])
        #expect(group.brokers.map(\.mbeanBrokerName) == ["b1", "b2", "b3"])
        #expect(group.brokers.map(\.jolokia) == (1...3).map { "http://127.0.0.1:\(8200 + $0)/api/jolokia" })
        #expect(group.brokers.map(\.openwire) == (1...3).map { HostPort(host: "127.0.0.1", port: 61615 + $0) })
        #expect(yaml.contains("# other connectors: stomp stomp://0.0.0.0:61613"), "\(yaml)")
    }

    /// The drifted copies: another keep-alive, `useLock="false"`, another directory, JDBC.
    @Test func driftedCopiesAreEachReported() throws {
        let jdbc = "<beans><broker brokerName=\"b5\"><persistenceAdapter><jdbcPersistenceAdapter dataSource=\"#pg\"/></persistenceAdapter></broker></beans>"
        let plan = BrokerGrouper.plan(try definitions([
            ("b1", F.broker(name: "b1")),
            ("b2", F.broker(name: "b2", keepAlive: "5000")),
            ("b3", F.broker(name: "b3", useLock: "false")),
            ("b4", F.broker(name: "b4", directory: "/srv/san/order")),
            ("b5", jdbc),
        ]))
        #expect(plan.groups.map(\.name) == ["orders", "order"])
        let orders = try #require(plan.groups.first)
        #expect(orders.members.map(\.name) == ["b1", "b2", "b3"])
        #expect(orders.lockKeepAlivePeriodMillis == 2000, "the majority's value")
        let keepAlive = try #require(orders.differences.first { $0.hasPrefix("lockKeepAlivePeriod differs") }, "\(orders.differences)")
        #expect(keepAlive.contains("2000 ms on b1 (/opt/b1/conf/activemq.xml), b3 (/opt/b3/conf/activemq.xml)"), "\(keepAlive)")
        #expect(keepAlive.contains("5000 ms on b2 (/opt/b2/conf/activemq.xml)"), "\(keepAlive)")
        #expect(orders.differences.contains { $0.hasPrefix("useLock differs: true on b1") && $0.contains("false on b3") }, "\(orders.differences)")
        #expect(orders.critical.count == 1)
        #expect(orders.critical.first?.hasPrefix("b3 (/opt/b3/conf/activemq.xml) sets useLock=\"false\"") == true)
        #expect(plan.warnings.contains { $0.hasPrefix("b4 (/opt/b4/conf/activemq.xml) is alone on /srv/san/order") }, "\(plan.warnings)")
        #expect(plan.unwatched.count == 1)
        #expect(plan.unwatched.first?.contains("b5 (/opt/b5/conf/activemq.xml): <jdbcPersistenceAdapter> is a JDBC store") == true)
        #expect(plan.findings.first?.hasPrefix("CRITICAL: group orders: b3") == true, "most serious first")
        #expect(plan.exitCode == 2)

        let (yaml, config) = try F.roundTrip(plan)
        #expect(config.groups.map(\.name) == ["orders", "order"])
        #expect(yaml.contains("    # CRITICAL: b3 (/opt/b3/conf/activemq.xml) sets useLock=\"false\""), "\(yaml)")
        #expect(yaml.contains("    # DIFFERS: lockKeepAlivePeriod differs"), "\(yaml)")
        #expect(yaml.contains("# NOT WATCHED: b5"), "\(yaml)")
    }

    /// Two copies of Debian's template: one store each, same brokerName: named apart.
    @Test func sameBrokerNameIsNamedApart() throws {
        let xml = "<beans><broker brokerName=\"localhost\"><persistenceAdapter><kahaDB directory=\"/nfs/q/kahadb\"/></persistenceAdapter><transportConnectors><transportConnector uri=\"nio://0.0.0.0:61616\"/></transportConnectors></broker></beans>"
        let plan = BrokerGrouper.plan(try definitions([("a", xml), ("b", xml)]))
        let group = try #require(plan.groups.first)
        #expect(group.name == "q")
        #expect(group.members.map(\.name) == ["localhost", "localhost-2"])
        #expect(group.differences.contains { $0.contains("share a brokerName") })
        #expect(group.differences.contains { $0 == "localhost, localhost-2 all have OpenWire at tcp://127.0.0.1:61616: they must run on different hosts, so put each broker's host name there, or amqtop probes one broker as all of them" }, "\(group.differences)")
        let (_, config) = try F.roundTrip(plan)
        #expect(config.groups.first?.brokers.map(\.mbeanBrokerName) == ["localhost", "localhost"])
        #expect(config.groups.first?.lockKeepAlivePeriodMillis == 0)
        #expect(config.groups.first?.lockAcquireSleepIntervalMillis == 10_000)
    }

    @Test func nothingWatchableStillParses() throws {
        let plan = BrokerGrouper.plan(try definitions([("a", "<beans><broker persistent=\"false\"/></beans>")]))
        #expect(plan.groups.isEmpty)
        #expect(plan.exitCode == 1)
        #expect(try F.roundTrip(plan).config.groups.isEmpty)
    }

    @Test func quotingSurvivesOddPaths() throws {
        let xml = F.broker(name: "b1", directory: "/srv/a &quot;quoted&quot; #dir: x")
        let (_, config) = try F.roundTrip(BrokerGrouper.plan(try definitions([("a", xml)])))
        #expect(config.groups.first?.lockFile == "/srv/a \"quoted\" #dir: x/lock")
    }

    @Test func fileChecksRefuseFIFOsDirectoriesAndRemoteArguments() throws {
        let directory = NSTemporaryDirectory() + "amqtop-init-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mkfifo(directory + "/activemq.xml", 0o644) == 0)
        #expect(throws: BrokerFileError(file: directory + "/activemq.xml", message: "is a FIFO, not an activemq.xml file")) {
            _ = try BrokerFileLoader().load(argument: directory + "/activemq.xml")
        }
        #expect(throws: BrokerFileError(file: directory, message: "is a directory, not an activemq.xml file")) {
            _ = try BrokerFileLoader().load(argument: directory)
        }
        #expect(BrokerFileLoader.remoteHost("broker2:/etc/activemq/activemq.xml") == "broker2")
        #expect(BrokerFileLoader.remoteHost("/etc/a:b/activemq.xml") == nil)
        #expect(throws: BrokerFileError.self) { _ = try BrokerFileLoader().load(argument: "broker2:/etc/activemq/activemq.xml") }
    }
}
