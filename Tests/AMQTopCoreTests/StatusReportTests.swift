import Foundation
import Testing
@testable import AMQTopCore

struct StatusReportTests {
    func report() -> StatusReport {
        StatusReport(
            groups: [Fixtures.group()],
            observations: [Fixtures.observe(
                [.master(pid: 101), .silentSlave(pid: 102), .dead(pid: 103)], lock: Fixtures.lock(holder: .pid(101)))],
            nowMillis: Fixtures.now)
    }

    /// The screen, the text table and `--json` all take their broker columns from one list.
    @Test func brokerColumnsAreDeclaredOnceForAllThreeOutputs() throws {
        let keys = BrokerColumn.jsonOrder.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(BrokerColumn.tableOrder.allSatisfy { $0.header != nil && keys.contains($0.key) })
        #expect(BrokerColumn.textColumns.map { $0.header ?? "" } == ["BROKER", "ROLE", "ENDPOINT", "OPENWIRE", "UPTIME", "VERSION", "EVIDENCE"])
        #expect(BrokerColumn.tableOrder.filter { $0.layout != nil }.map(\.key)
            == ["name", "role", "endpoint", "openwire", "uptimeMillis", "connections", "version", "evidence"])
        // The JSON broker object is exactly the declared keys, in order.
        let text = StatusJSON.document(report()).serialized(pretty: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let broker = try #require(((object["groups"] as? [[String: Any]])?.first?["brokers"] as? [[String: Any]])?.first)
        #expect(Set(broker.keys) == Set(keys))
        let firstBroker = try #require(text.range(of: #""brokers":[{"#))
        let order = keys.compactMap { text.range(of: "\"\($0)\":", range: firstBroker.upperBound..<text.endIndex)?.lowerBound }
        #expect(order.count == keys.count && order == order.sorted())
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let text = StatusJSON.document(report()).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "WARNING")
        let groups = try #require(object["groups"] as? [[String: Any]])
        let group = try #require(groups.first)
        #expect(group["name"] as? String == "orders")
        #expect(group["master"] as? String == "b1")
        let alerts = try #require(group["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["code"] as? String } == ["BROKER_DOWN"])
        #expect(alerts.first?["severity"] as? String == "WARNING")
        let lock = try #require(group["lock"] as? [String: Any])
        #expect(lock["path"] as? String == "/shared/lock")
        #expect(lock["exists"] as? Bool == true)
        #expect(lock["acquiredAtMillis"] as? Int64 == Fixtures.acquired)
        #expect(lock["ageMillis"] as? Int64 == Fixtures.now - Fixtures.acquired)
        #expect(lock["holderPid"] as? Int == 101)
        #expect(lock["holderBroker"] as? String == "b1")
        #expect((lock["filesystem"] as? [String: Any])?["type"] as? String == "ext4")
        let brokers = try #require(group["brokers"] as? [[String: Any]])
        #expect(brokers.map { $0["role"] as? String } == ["master", "slave", "down"])
        #expect(brokers[0]["slave"] as? Bool == false)
        #expect((brokers[1]["endpoint"] as? [String: Any])?["reachable"] as? Bool == false)
        #expect(((brokers[1]["endpoint"] as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "refused")
        #expect((brokers[0]["openwire"] as? [String: Any])?["state"] as? String == "open")
        #expect(brokers[0]["version"] as? String == "5.17.2")
        #expect(brokers[1].keys.contains("uptimeMillis"), "unknown values are null, not missing")
    }

    @Test func aRedirectKeepsItsCodeAndNamesWhereItPointed() throws {
        let error = EndpointError.redirect(status: 302, location: "https://other:8443/api/jolokia", loop: false)
        var signals = Fixtures.Signals.silentSlave(pid: 102)
        signals.endpointError = error
        let report = StatusReport(
            groups: [Fixtures.group()],
            observations: [Fixtures.observe([.master(pid: 101), signals, .dead(pid: 103)], lock: Fixtures.lock(holder: .pid(101)))],
            nowMillis: Fixtures.now)
        let text = StatusJSON.document(report).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let brokers = try #require(((object["groups"] as? [[String: Any]])?.first)?["brokers"] as? [[String: Any]])
        let reported = try #require((brokers[1]["endpoint"] as? [String: Any])?["error"] as? [String: Any])
        // Scripts matching on "http" keep working; the new fields say where and whether it loops.
        #expect(reported["code"] as? String == "http")
        #expect(reported["message"] as? String == "HTTP 302 redirect to https://other:8443/api/jolokia (not followed)")
        #expect(reported["location"] as? String == "https://other:8443/api/jolokia")
        #expect(reported["redirectLoop"] as? Bool == false)
        #expect(StatusText.render(report).contains("HTTP 302 redirect to https://other:8443/api/jolokia (not followed)"))

        #expect(EndpointError.redirect(status: 301, location: "http://b2:8161/api/jolokia", loop: true).summary
            == "HTTP 301 redirect loop: Location is this same URL (not followed)")
        #expect(EndpointError.redirect(status: 307, location: nil, loop: false).summary
            == "HTTP 307 redirect without a usable Location (not followed)")
    }

    @Test func noGroupsIsUnknown() {
        #expect(StatusReport(entries: [], nowMillis: 0).status == .unknown)
        #expect(Severity.critical > Severity.unknown && Severity.unknown > Severity.warning)
        #expect(Severity.critical.exitCode == 2 && Severity.unknown.exitCode == 3)
    }

    @Test func textNamesMasterLockAndAlerts() {
        let text = StatusText.render(report())
        #expect(text.contains("GROUP orders  WARNING  master: b1"))
        #expect(text.contains("held by pid 101 (b1)"))
        #expect(text.contains("* master"))
        #expect(text.contains("x down"))
        #expect(text.contains("WARNING BROKER_DOWN: b3 is down"))
        #expect(text.contains("worst-case failover: ~8s"))
    }

    @Test func jsonEscapesAndKeepsOrder() {
        let value = OrderedJSON.object([("b", .string("a\"b\n\u{1}")), ("a", .array([.null, .int(3), .bool(true)]))])
        #expect(value.serialized(pretty: false) == #"{"b":"a\"b\n\u0001","a":[null,3,true]}"#)
    }
}
