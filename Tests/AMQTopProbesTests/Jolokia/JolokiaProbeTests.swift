import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The Jolokia probe against real listeners on 127.0.0.1 that misbehave on purpose.
@Suite struct JolokiaProbeTests {
    static let password = "s3cr3t-PASSWORD-do-not-print"

    /// Runs `body` with a probe on a fresh pooled client, shutting the client down afterwards.
    func withProbe<T>(timeoutMillis: Int64 = 1000, maxBodyBytes: Int = JolokiaProbe.defaultMaxBodyBytes,
                      _ body: (JolokiaProbe) async throws -> T) async rethrows -> T {
        let http = ProbeHTTPClient(connectTimeoutMillis: timeoutMillis)
        let probe = JolokiaProbe(http: http, timeoutMillis: timeoutMillis, maxBodyBytes: maxBodyBytes,
                                 environment: { $0 == "AMQ_TEST_PASSWORD" ? Self.password : nil })
        do {
            let result = try await body(probe)
            await http.shutdown()
            return result
        } catch {
            await http.shutdown()
            throw error
        }
    }

    func broker(_ url: String, mbean: String? = "broker1") -> BrokerConfig {
        BrokerConfig(name: "broker1", jolokia: url, mbeanBrokerName: mbean, username: "admin",
                     password: .environment("AMQ_TEST_PASSWORD"))
    }

    /// Polls once and checks that the password appears nowhere in what came back.
    func poll(_ probe: JolokiaProbe, _ config: BrokerConfig) async throws -> JolokiaObservation {
        let observation = try #require(await probe.poll(config))
        #expect(!"\(observation)".contains(Self.password))
        let summary = observation.error?.summary ?? ""
        #expect(!summary.contains(Self.password))
        return observation
    }

    @Test func masterAnswerIsReadFieldByField() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error == nil)
        #expect(observation.slave == false)
        #expect(observation.brokerName == "broker1")
        #expect(observation.version == "5.17.2")
        #expect(observation.uptimeMillis == 123_456)
        #expect(observation.transportConnectors?["openwire"]?.hasPrefix("tcp://host:61616") == true)
        #expect(observation.connections == 3)
        #expect(observation.totalMessages == 42)
        #expect(observation.storePercentUsage == 7)
        #expect(observation.attributeErrors.isEmpty)

        // One bulk POST, one read request per attribute, basic auth.
        let requests = server.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/api/jolokia")
        let expectedAuth = "Basic " + Data("admin:\(Self.password)".utf8).base64EncodedString()
        #expect(request.headers["authorization"] == expectedAuth)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [[String: Any]])
        #expect(sent.map { $0["attribute"] as? String ?? "" } == JolokiaRequests.attributes)
        #expect(sent.allSatisfy {
            $0["type"] as? String == "read" && $0["mbean"] as? String == "org.apache.activemq:type=Broker,brokerName=broker1"
        })
        // Slaves fail several attributes; their stack traces would multiply the answer's size.
        #expect(sent.allSatisfy { ($0["config"] as? [String: String]) == ["includeStackTrace": "false"] })
    }

    @Test func slaveAnswerIsReachableWithAttributeErrors() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.slave()))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url, mbean: "broker2")) }
        #expect(observation.reachable)
        #expect(observation.slave == true)
        #expect(observation.brokerName == nil)
        #expect(observation.attributeErrors["BrokerName"]?.contains("Broker is not yet started.") == true)
        #expect(observation.attributeErrors["BrokerId"] != nil)
        #expect(observation.version == "5.17.2")
    }

    @Test func brokerNameIsDiscoveredOnceAndCached() async throws {
        let server = try TestHTTPServer { request in
            request.body.contains("brokerName=*")
                ? .respond(status: 200, body: JolokiaFixtures.discovery(["amq-east"]))
                : .respond(status: 200, body: JolokiaFixtures.master("amq-east"))
        }
        defer { server.stop() }
        let (first, second) = try await withProbe { probe in
            (try await poll(probe, broker(server.url, mbean: nil)), try await poll(probe, broker(server.url, mbean: nil)))
        }
        #expect(first.mbeanBrokerName == "amq-east")
        #expect(first.brokerName == "amq-east")
        #expect(second.slave == false)
        let bodies = server.requests.map(\.body)
        #expect(bodies.count == 3)
        #expect(bodies.first?.contains(#""mbean":"org.apache.activemq:type=Broker,brokerName=*""#) == true)
        #expect(bodies.dropFirst().allSatisfy { $0.contains("brokerName=amq-east") })
    }

    @Test func neverAnsweringTimesOutWithinTheDeadline() async throws {
        let server = try TestHTTPServer(always: .neverAnswer)
        defer { server.stop() }
        let (observation, elapsed) = try await withProbe(timeoutMillis: 500) { probe in
            try await Waiting.timed { try await poll(probe, broker(server.url)) }
        }
        #expect(observation.error == .timeout(afterMillis: 500))
        // Not before the deadline; and the listener never answers, so finishing at all proves it.
        #expect(elapsed >= 450 && elapsed < 10_000, "took \(elapsed) ms")
    }

    @Test func oneByteASecondTimesOut() async throws {
        let server = try TestHTTPServer(always: .slow(body: JolokiaFixtures.master(), intervalMillis: 1000))
        defer { server.stop() }
        let (observation, elapsed) = try await withProbe(timeoutMillis: 700) { probe in
            try await Waiting.timed { try await poll(probe, broker(server.url)) }
        }
        #expect(observation.error == .timeout(afterMillis: 700))
        // The body would take over 1000 s at a byte a second: finishing at all proves the deadline.
        #expect(elapsed < 10_000, "took \(elapsed) ms")
    }

    @Test func closedMidBodyIsAConnectionError() async throws {
        let server = try TestHTTPServer(always: .closeMidBody(declaredLength: 5000, sent: String(JolokiaFixtures.master().prefix(300))))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error?.code == "connection", "\(String(describing: observation.error))")
    }

    @Test func garbageIsNotJSON() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: "<html><body>Login</body></html>\u{1}\u{2}"))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error?.code == "notJSON")
        #expect(observation.error?.summary.contains("<html>") == true)
    }

    @Test(arguments: [true, false])
    func fiftyMegabytesIsTooLargeAndNotRead(chunked: Bool) async throws {
        let total = 50 * 1024 * 1024
        let server = try TestHTTPServer(always: .huge(totalBytes: total, chunked: chunked))
        defer { server.stop() }
        let (observation, elapsed) = try await withProbe(timeoutMillis: 30_000) { probe in
            try await Waiting.timed { try await poll(probe, broker(server.url)) }
        }
        #expect(observation.error == .tooLarge(limitBytes: JolokiaProbe.defaultMaxBodyBytes))
        // Cut at the cap, well before the deadline.
        #expect(elapsed < 10_000, "took \(elapsed) ms")
        // The client stopped reading: the server could only push what fits in the cap plus socket buffers.
        let pushed = await Waiting.until(millis: 2000) { server.bytesSent < total }
        #expect(pushed)
        #expect(server.bytesSent < 16 * 1024 * 1024, "server pushed \(server.bytesSent) bytes")
    }

    @Test(arguments: [401, 403])
    func refusedCredentialsAreAuth(status: Int) async throws {
        let server = try TestHTTPServer(always: .respond(status: status, body: "<html>Unauthorized</html>"))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error == .auth(status: status))
    }

    @Test(arguments: [500, 503])
    func serverErrorsAreHTTPStatus(status: Int) async throws {
        let server = try TestHTTPServer(always: .respond(status: status, body: "oops"))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error == .httpStatus(status))
    }

    @Test func wholeRequestJolokiaErrorKeepsTypeAndMessage() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.wholeRequestError))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error == .jolokia(
            type: "java.lang.IllegalArgumentException", message: "Invalid object name. Key properties cannot be empty"))
    }

    @Test func missingMBeanIsAJolokiaError() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.noSuchMBean("broker1")))
        defer { server.stop() }
        let observation = try await withProbe { try await poll($0, broker(server.url)) }
        #expect(observation.error?.code == "jolokia")
        if case .jolokia(let type, _)? = observation.error { #expect(type == "javax.management.InstanceNotFoundException") }
    }

    @Test func refusedPortIsRefusedAtOnce() async throws {
        let port = try TestHTTPServer.refusedPort()
        let (observation, elapsed) = try await withProbe(timeoutMillis: 30_000) { probe in
            try await Waiting.timed { try await poll(probe, broker("http://127.0.0.1:\(port)/api/jolokia")) }
        }
        #expect(observation.error == .refused)
        // Reported at once, not at the 30 s deadline (a stock slave must not look hung).
        #expect(elapsed < 10_000, "took \(elapsed) ms")
    }

    @Test func passwordProblemsAreClassifiedWithoutSendingAnything() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.path + "/password"
        try Self.password.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        var fromFile = broker(server.url)
        fromFile.password = .file(file)
        var fromUnsetEnv = broker(server.url)
        fromUnsetEnv.password = .environment("AMQ_TEST_UNSET")
        let (tooOpen, unset) = try await withProbe { probe in
            (try await poll(probe, fromFile), try await poll(probe, fromUnsetEnv))
        }
        #expect(tooOpen.error?.code == "credentials")
        #expect(tooOpen.error?.summary.contains("chmod 600") == true)
        #expect(unset.error == .credentials("environment variable AMQ_TEST_UNSET is not set"))
        #expect(server.requests.isEmpty)

        chmod(file, 0o600)
        let fine = try await withProbe { try await poll($0, fromFile) }
        #expect(fine.error == nil)
        #expect(server.requests.first?.headers["authorization"] == "Basic " + Data("admin:\(Self.password)".utf8).base64EncodedString())
    }

    @Test func stopExecsTheStopOperation() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.stopAccepted))
        defer { server.stop() }
        let outcome = await withProbe { await $0.stop(broker(server.url)) }
        #expect(outcome == .accepted)
        let body = try #require(server.requests.first?.body)
        #expect(body == #"{"mbean":"org.apache.activemq:type=Broker,brokerName=broker1","operation":"stop","type":"exec"}"#)
    }

    @Test func stopReportsJolokiaErrors() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.wholeRequestError))
        defer { server.stop() }
        let outcome = await withProbe { await $0.stop(broker(server.url)) }
        #expect(outcome == .failed(.jolokia(type: "java.lang.IllegalArgumentException", message: "Invalid object name. Key properties cannot be empty")))
    }

    @Test func unusableURLIsBadURL() async throws {
        let observation = try await withProbe { try await poll($0, broker("ftp://127.0.0.1/x")) }
        #expect(observation.error?.code == "badURL")
    }

    @Test func brokerWithoutJolokiaIsNotPolled() async {
        let observation = await withProbe { await $0.poll(BrokerConfig(name: "quiet")) }
        #expect(observation == nil)
    }
}
