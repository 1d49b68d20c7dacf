import AMQTopLab
import Foundation
import Testing

/// The Jolokia endpoint of real lab-broker processes, master and slave, over HTTP with Basic auth.
@Suite(.serialized)
struct LabJolokiaEndpointTests {
    static let password = "s3cret-lab"
    static let authorization = "Basic " + Data("admin:\(password)".utf8).base64EncodedString()

    @Test func answersAsJolokiaOnActiveMQDoes() async throws {
        let options = try LabTestSupport.options(brokers: 2, password: Self.password)
        try await LabTestSupport.withGroup(options) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            let slave = try #require(group.brokers.first { $0.name != master.name })
            #expect(await LabTestSupport.waitUntil(.seconds(3)) {
                LabTestSupport.slaveAttribute(slave, authorization: Self.authorization) == true
            })

            // The password file named in amqtop.yaml is private.
            let passwordFile = try #require(group.passwordFile)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: passwordFile)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            let yaml = try String(contentsOfFile: group.configPath, encoding: .utf8)
            #expect(yaml.contains("passwordFile: \(passwordFile)"))
            #expect(yaml.contains("username: admin"))
            #expect(!yaml.contains(Self.password))

            // 401 with a challenge, without or with wrong credentials.
            let anonymous = try RawHTTP.send(port: master.jolokiaPort, path: "/api/jolokia/version")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"]?.lowercased().hasPrefix("basic realm=") == true)
            let wrong = try RawHTTP.send(
                port: master.jolokiaPort, path: "/api/jolokia/version",
                authorization: "Basic " + Data("admin:nope".utf8).base64EncodedString())
            #expect(wrong.status == 401)

            // version
            let version = try get(master, "/api/jolokia/version")
            #expect(version["status"] == 200)
            #expect(version["request"] == .object(["type": "version"]))
            #expect(version["value"]?["protocol"] == "7.2")

            // The slave's not-yet-started answer: HTTP 200, status 500 in the body.
            let notStarted = try RawHTTP.send(
                port: slave.jolokiaPort, path: "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=\(slave.name)/BrokerName",
                authorization: Self.authorization)
            #expect(notStarted.status == 200)
            let notStartedBody = try #require(notStarted.json)
            #expect(notStartedBody["status"] == 500)
            #expect(notStartedBody["error_type"] == "java.lang.IllegalStateException")
            #expect(notStartedBody["error"] == "java.lang.IllegalStateException : Broker is not yet started.")
            #expect(notStartedBody["request"]?["mbean"] == .string("org.apache.activemq:brokerName=\(slave.name),type=Broker"))
            #expect(notStartedBody["value"] == nil)
            let wholeOnSlave = try get(slave, "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=\(slave.name)")
            #expect(wholeOnSlave["error_type"] == "java.lang.IllegalStateException")
            let slaveFlag = try get(slave, "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=\(slave.name)/Slave")
            #expect(slaveFlag["value"] == true)

            // Pattern read, keyed by canonical names.
            let pattern = try get(master, "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=*/Slave")
            #expect(pattern["value"] == .object(["org.apache.activemq:brokerName=\(master.name),type=Broker": .object(["Slave": false])]))
            #expect(pattern["request"]?["mbean"] == "org.apache.activemq:brokerName=*,type=Broker")

            // The whole MBean on the master.
            let whole = try get(master, "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=\(master.name)")
            #expect(whole["value"]?["BrokerName"] == .string(master.name))
            #expect(whole["value"]?["TransportConnectors"] == .object(["openwire": .string(master.openWireURI)]))
            #expect(whole["value"]?["DataDirectory"] == .string(group.directory))
            #expect(whole["value"]?["UptimeMillis"]?.intValue != nil)

            // Bulk POST: one answer per request, each with its own status.
            let mbean = "org.apache.activemq:type=Broker,brokerName=\(slave.name)"
            let bulkBody = """
                [{"type":"read","mbean":"\(mbean)","attribute":"Slave"},
                 {"type":"read","mbean":"\(mbean)","attribute":"BrokerId"},
                 {"type":"read","mbean":"\(mbean)","attribute":["BrokerVersion","UptimeMillis"]},
                 {"type":"search","mbean":"org.apache.activemq:type=Broker,*"}]
                """
            let bulk = try RawHTTP.send(
                port: slave.jolokiaPort, method: "POST", path: "/api/jolokia", body: bulkBody, authorization: Self.authorization)
            #expect(bulk.status == 200)
            let answers = try #require(bulk.json?.arrayValue)
            #expect(answers.count == 4)
            #expect(answers.map { $0["status"] } == [200, 500, 200, 200])
            #expect(answers[0]["value"] == true)
            #expect(answers[1]["error_type"] == "java.lang.IllegalStateException")
            #expect(answers[2]["value"]?["BrokerVersion"] == "lab")
            #expect(answers[2]["request"]?["attribute"] == .array(["BrokerVersion", "UptimeMillis"]))
            #expect(answers[3]["value"] == .array([.string("org.apache.activemq:brokerName=\(slave.name),type=Broker")]))

            // Unknown MBean: 404 in the body, HTTP 200.
            let unknown = try RawHTTP.send(
                port: master.jolokiaPort, path: "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=nope/Slave",
                authorization: Self.authorization)
            #expect(unknown.status == 200)
            #expect(unknown.json?["status"] == 404)
            #expect(unknown.json?["error_type"] == "javax.management.InstanceNotFoundException")
        }
    }

    private func get(_ broker: LabBrokerConfiguration, _ path: String) throws -> JolokiaJSON {
        let response = try RawHTTP.send(port: broker.jolokiaPort, path: path, authorization: Self.authorization)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain;charset=utf-8")
        return try #require(response.json)
    }
}
