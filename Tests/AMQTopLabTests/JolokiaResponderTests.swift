import AMQTopLab
import Testing

/// The pure Jolokia answer builder: shapes, echoes and errors without any process.
struct JolokiaResponderTests {
    static let master = BrokerMBeanSnapshot(
        brokerName: "b1", isSlave: false, brokerId: "ID:host-1-2-0:1", brokerVersion: "5.17.2", uptimeMillis: 65_000,
        transportConnectors: ["openwire": "tcp://127.0.0.1:61616"], dataDirectory: "/data/kahadb")
    static var slave: BrokerMBeanSnapshot {
        var snapshot = master
        snapshot.brokerName = "b2"
        snapshot.isSlave = true
        return snapshot
    }
    let responder = JolokiaResponder(brokers: [Self.master, Self.slave], timestampSeconds: 1_700_000_000)

    @Test func readsOneAttributeWithCanonicalEchoAndSecondsTimestamp() {
        let reply = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=b1/Slave")
        #expect(
            reply.body
                == .object([
                    "request": .object([
                        "type": "read", "mbean": "org.apache.activemq:brokerName=b1,type=Broker", "attribute": "Slave",
                    ]),
                    "value": false, "timestamp": 1_700_000_000, "status": 200,
                ]))
        #expect(reply.actions.isEmpty)
    }

    @Test(arguments: ["BrokerName", "BrokerId", ""])
    func slaveRefusesStartedOnlyReads(attribute: String) {
        let reply = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=b2/\(attribute)")
        #expect(reply.body["status"] == 500)
        #expect(reply.body["error_type"] == "java.lang.IllegalStateException")
        #expect(reply.body["error"] == "java.lang.IllegalStateException : Broker is not yet started.")
        #expect(reply.body["stacktrace"]?.stringValue?.hasPrefix("java.lang.IllegalStateException: Broker is not yet started.") == true)
        #expect(reply.body["timestamp"] == nil)
        #expect(reply.body["request"]?["type"] == "read")
    }

    /// amqtop asks for no stack traces (`config.includeStackTrace: "false"`), as real Jolokia honours.
    @Test func includeStackTraceFalseLeavesTheTraceOut() {
        let mbean = "org.apache.activemq:type=Broker,brokerName=b2"
        for option in [#""false""#, "false"] {
            let reply = responder.answer(postBody: """
                [{"type":"read","mbean":"\(mbean)","attribute":"BrokerName","config":{"includeStackTrace":\(option)}},
                 {"type":"read","mbean":"\(mbean)","attribute":"BrokerId"}]
                """)
            guard case .array(let answers) = reply.body, answers.count == 2 else {
                Issue.record("not a bulk answer: \(reply.body)")
                continue
            }
            #expect(answers[0]["status"] == 500 && answers[0]["error_type"] == "java.lang.IllegalStateException")
            #expect(answers[0]["stacktrace"] == nil, "option \(option)")
            #expect(answers[1]["stacktrace"] != nil, "only the request that asked goes without")
        }
    }

    @Test func slaveStillAnswersSlaveUptimeVersionAndDataDirectory() {
        let reply = responder.answer(
            postBody: #"{"type":"read","mbean":"org.apache.activemq:type=Broker,brokerName=b2","attribute":["Slave","UptimeMillis","BrokerVersion","DataDirectory","Uptime"]}"#)
        #expect(
            reply.body["value"]
                == .object([
                    "Slave": true, "UptimeMillis": 65_000, "BrokerVersion": "5.17.2", "DataDirectory": "/data/kahadb",
                    "Uptime": "1 minute",
                ]))
    }

    @Test func patternReadKeysByCanonicalName() {
        let reply = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=*/Slave")
        #expect(
            reply.body["value"]
                == .object([
                    "org.apache.activemq:brokerName=b1,type=Broker": .object(["Slave": false]),
                    "org.apache.activemq:brokerName=b2,type=Broker": .object(["Slave": true]),
                ]))
    }

    @Test func unknownMBeanAttributeAndType() {
        let mbean = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=zz/Slave")
        #expect(mbean.body["status"] == 404)
        #expect(mbean.body["error"] == "javax.management.InstanceNotFoundException : org.apache.activemq:type=Broker,brokerName=zz")
        let attribute = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=b1/Nope")
        #expect(attribute.body["status"] == 404)
        #expect(attribute.body["error_type"] == "javax.management.AttributeNotFoundException")
        let type = responder.answer(getPath: "/frobnicate/x:y=z")
        #expect(type.body["status"] == 400)
        #expect(type.body["request"] == nil)
        let json = responder.answer(postBody: "{not json")
        #expect(json.body["status"] == 400)
    }

    @Test func execStopAnswersNullAndAsksToStop() {
        let reply = responder.answer(getPath: "/exec/org.apache.activemq:type=Broker,brokerName=b1/stop")
        #expect(reply.body["value"] == .null)
        #expect(reply.body["status"] == 200)
        #expect(reply.body["request"] == .object([
            "type": "exec", "mbean": "org.apache.activemq:brokerName=b1,type=Broker", "operation": "stop",
        ]))
        #expect(reply.actions == [.stopBroker("b1")])
        #expect(reply.body.serialized.contains(#""value":null"#))
        let unknown = responder.answer(getPath: "/exec/org.apache.activemq:type=Broker,brokerName=b1/explode")
        #expect(unknown.body["status"] == 400)
        #expect(unknown.actions.isEmpty)
    }

    @Test func searchAndVersion() {
        let search = responder.answer(getPath: "/search/org.apache.activemq:type=Broker,*")
        #expect(search.body["value"] == .array([
            "org.apache.activemq:brokerName=b1,type=Broker", "org.apache.activemq:brokerName=b2,type=Broker",
        ]))
        #expect(search.body["request"]?["mbean"] == "org.apache.activemq:type=Broker,*")
        for path in ["", "/", "/version"] {
            let version = responder.answer(getPath: path)
            #expect(version.body["value"]?["agent"] == "1.7.1")
            #expect(version.body["request"] == .object(["type": "version"]))
        }
    }

    @Test func bulkAnswersOnePerRequest() {
        let reply = responder.answer(
            postBody: #"[{"type":"read","mbean":"org.apache.activemq:type=Broker,brokerName=b2","attribute":"BrokerName"},{"type":"version"},{"type":"exec","mbean":"org.apache.activemq:brokerName=b2,type=Broker","operation":"stop"}]"#)
        #expect(reply.body.arrayValue?.map { $0["status"] } == [500, 200, 200])
        #expect(reply.actions == [.stopBroker("b2")])
    }

    @Test func getPathEscapesAndTransportConnectorPath() {
        #expect(JolokiaRequest.parse(getPath: "/read/a:b=c!/d/X") == .success(
            .read(mbean: MBeanName("a:b=c/d")!, attributes: ["X"], multiple: false, path: [])))
        let inner = responder.answer(getPath: "/read/org.apache.activemq:type=Broker,brokerName=b1/TransportConnectors/openwire")
        #expect(inner.body["value"] == "tcp://127.0.0.1:61616")
        #expect(inner.body["request"]?["path"] == "openwire")
    }

    @Test func jsonRoundTripsAndEscapesSlashesLikeJsonSimple() {
        let value: JolokiaJSON = .object(["u": "tcp://h:1", "n": .null, "a": .array([1, .double(2.5), true, "é\n"])])
        #expect(value.serialized == #"{"a":[1,2.5,true,"é\n"],"n":null,"u":"tcp:\/\/h:1"}"#)
        #expect(JolokiaJSON.parse(value.serialized) == value)
    }
}

/// ActiveMQ's `Uptime` rendering.
struct ActiveMQUptimeTests {
    @Test(arguments: [
        (Int64(5_123), "5.123 seconds"), (59_999, "59.999 seconds"), (60_000, "1 minute"), (150_000, "2 minutes"),
        (3_600_000, "1 hour"), (7_400_000, "2 hours 3 minutes"), (86_400_000, "1 day"), (100_800_000, "1 day 4 hours"),
    ])
    func formatsLikeTimeUtils(millis: Int64, expected: String) {
        #expect(ActiveMQUptime.format(millis: millis) == expected)
    }
}

/// The YAML written for a lab group.
struct LabGroupConfigWriterTests {
    @Test func writesTheGroupTheDashboardReads() {
        let broker = LabBrokerConfiguration(
            name: "lab1", directory: "/tmp/x", jolokiaPort: 8161, openWirePort: 61616, pidFile: "/tmp/x/lab1.pid")
        let yaml = LabGroupConfigWriter.yaml(
            groupName: "lab", lockFile: "/tmp/x/lock", lockKeepAlivePeriodMillis: 2000,
            lockAcquireSleepIntervalMillis: 250, brokers: [broker], passwordFile: nil)
        #expect(yaml.contains("""
              - name: lab
                lockFile: /tmp/x/lock
                lockKeepAlivePeriod: 2s
                lockAcquireSleepInterval: 250ms
                brokers:
                  - name: lab1
                    jolokia: http://127.0.0.1:8161/api/jolokia
                    openwire: tcp://127.0.0.1:61616
                    pidFile: /tmp/x/lab1.pid
            """))
        #expect(!yaml.contains("username"))
    }
}
