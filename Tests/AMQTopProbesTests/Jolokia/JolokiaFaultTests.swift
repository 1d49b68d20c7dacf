import AMQTopCore
import AMQTopTestSupport
import Foundation
import Testing

@testable import AMQTopProbes

/// The fault suite's endpoints (issue 6) not covered by `JolokiaProbeTests`: each faulty
/// endpoint is polled in the same `GroupProber` round as a healthy broker, and must come
/// back as its own clear `EndpointError` within the deadline while the healthy one still
/// reads as a master.
@Suite struct JolokiaFaultTests {
    /// The per-request deadline of every round here; the bound below leaves room for a loaded machine.
    static let timeoutMillis: Int64 = 1500

    /// What one round saw of the faulty broker and of the healthy one beside it.
    struct Round {
        var faulty: JolokiaObservation
        var healthy: JolokiaObservation
        var elapsedMillis: Int64
    }

    /// One `GroupProber` round over a group holding a healthy master and `faulty`.
    func round(_ faulty: BrokerConfig) async throws -> Round {
        let good = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { good.stop() }
        let healthy = BrokerConfig(name: "healthy", jolokia: good.url, mbeanBrokerName: "broker1")
        let config = AppConfig(timeoutMillis: Self.timeoutMillis, groups: [GroupConfig(name: "g", brokers: [healthy, faulty])])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        let (groups, elapsed) = await Waiting.timed { await prober.probeAll(config) }
        await http.shutdown()
        let brokers = try #require(groups.first?.brokers)
        let result = Round(
            faulty: try #require(brokers.first { $0.name == faulty.name }?.jolokia),
            healthy: try #require(brokers.first { $0.name == "healthy" }?.jolokia),
            elapsedMillis: elapsed)
        // The healthy broker beside the fault reads normally, in the same round.
        #expect(result.healthy.error == nil, "healthy broker: \(String(describing: result.healthy.error))")
        #expect(result.healthy.slave == false)
        #expect(result.healthy.brokerName == "broker1")
        // Within the deadline (plus scheduling slack): no fault may stretch a round.
        #expect(elapsed < Self.timeoutMillis + 1500, "round took \(elapsed) ms")
        return result
    }

    /// A broker on `server`, with the MBean name configured so one request is one poll.
    func faulty(_ url: String, insecure: Bool = false) -> BrokerConfig {
        BrokerConfig(name: "faulty", jolokia: url, mbeanBrokerName: "broker1", insecure: insecure)
    }

    // MARK: - Bodies

    @Test func invalidUTF8IsNotJolokiaJSON() async throws {
        // A master's answer whose broker name holds bytes that are not UTF-8 (a lone
        // continuation byte and a truncated 3-byte sequence).
        var body = Array(JolokiaFixtures.master().utf8)
        let name = Array(#""broker1""#.utf8)
        let at = try #require((0...(body.count - name.count)).first { body[$0..<($0 + name.count)].elementsEqual(name) })
        body.replaceSubrange((at + 1)..<(at + 8), with: [0x62, 0x80, 0xE2, 0x82, 0x62])
        let server = try TestHTTPServer(always: .respondBytes(status: 200, extraHeaders: [], body: body))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error?.code == "notJSON", "\(String(describing: seen.faulty.error))")
        #expect(seen.faulty.error?.summary.contains("invalid UTF-8") == true, "\(String(describing: seen.faulty.error))")
        #expect(seen.faulty.brokerName == nil)
    }

    @Test func deeplyNestedJSONOverHTTPIsRefusedNotRecursed() async throws {
        // 200k brackets: within the 1 MiB cap, far beyond any stack a recursive parser could afford.
        let depth = 200_000
        let server = try TestHTTPServer(always: .respond(status: 200, body: String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error?.code == "notJSON", "\(String(describing: seen.faulty.error))")
        #expect(seen.faulty.error?.summary.contains("deep") == true || seen.faulty.error?.summary.contains("depth") == true,
                "\(String(describing: seen.faulty.error))")
    }

    @Test func anObjectWhereTheArrayOfAnswersBelongsIsNotJolokia() async throws {
        // One answer (status 200) instead of the bulk array: valid JSON of the wrong shape.
        let single = JolokiaFixtures.ok(JolokiaFixtures.mbean("broker1"), "Slave", "false")
        let server = try TestHTTPServer(always: .respond(status: 200, body: single))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error == .notJSON("expected an array of answers"))
    }

    @Test func everyValueAsAStringNamesTheMismatch() async throws {
        // Numbers quoted, as a proxy that stringifies JSON would send them; the flag as
        // "0" (the exact strings "true"/"false" are accepted on purpose: some JMX bridges send them).
        let m = JolokiaFixtures.mbean("broker1")
        let body = "[" + [
            JolokiaFixtures.ok(m, "Slave", #""0""#),
            JolokiaFixtures.ok(m, "UptimeMillis", #""123456""#),
            JolokiaFixtures.ok(m, "CurrentConnectionsCount", #""3""#),
        ].joined(separator: ",") + "]"
        let server = try TestHTTPServer(always: .respond(status: 200, body: body))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        // Slave of the wrong type is the endpoint's fault (issue 14), named with the attribute.
        #expect(seen.faulty.error == .notJSON("attribute Slave is of type string, expected true or false"))
        #expect(seen.faulty.slave == nil && seen.faulty.uptimeMillis == nil)
        #expect(seen.faulty.attributeErrors["UptimeMillis"] == "unexpected value string")
    }

    @Test func someNumbersAsStringsKeepTheRestAndNameTheBadOnes() async throws {
        // A master's answer with only the counters quoted: the role still reads, the
        // counters are attribute errors (shown per field), not a broker-wide failure.
        let body = JolokiaFixtures.master()
            .replacingOccurrences(of: #""value":123456"#, with: #""value":"123456""#)
            .replacingOccurrences(of: #""value":42"#, with: #""value":"42""#)
        let server = try TestHTTPServer(always: .respond(status: 200, body: body))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error == nil)
        #expect(seen.faulty.slave == false)
        #expect(seen.faulty.uptimeMillis == nil && seen.faulty.totalMessages == nil)
        #expect(seen.faulty.attributeErrors["UptimeMillis"] == "unexpected value string")
        #expect(seen.faulty.attributeErrors["TotalMessageCount"] == "unexpected value string")
    }

    // MARK: - HTTP

    @Test func notFoundIsHTTP404() async throws {
        let server = try TestHTTPServer(always: .respondBytes(status: 404, extraHeaders: [], body: Array("<html>Not Found</html>".utf8)))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error == .httpStatus(404))
        #expect(seen.faulty.error?.summary == "HTTP 404")
    }

    @Test func redirectToItselfIsReportedNotFollowed() async throws {
        // Redirects are disallowed on purpose (a Jolokia URL that redirects is misconfigured,
        // and following would resend credentials): one request, reported as a loop.
        let server = try TestHTTPServer { request in
            .respondBytes(status: 302, extraHeaders: ["Location: \(request.path)"], body: [])
        }
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        #expect(seen.faulty.error == .redirect(status: 302, location: server.url, loop: true))
        #expect(seen.faulty.error?.summary == "HTTP 302 redirect loop: Location is this same URL (not followed)")
        #expect(seen.faulty.error?.code == "http")
        #expect(server.requests.count == 1, "\(server.requests.count) requests: the redirect was followed")
    }

    @Test func redirectElsewhereNamesTheTargetWithoutItsSecrets() async throws {
        // A Location with credentials, a session id and a token: the operator learns where
        // it points, none of what it carries; and nothing is sent there.
        let elsewhere = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { elsewhere.stop() }
        let location = "http://admin:s3cret@127.0.0.1:\(elsewhere.port)/hawtio/jolokia;jsessionid=abc123?token=t0ps3cret#frag"
        let server = try TestHTTPServer(always: .respondBytes(status: 301, extraHeaders: ["Location: \(location)"], body: []))
        defer { server.stop() }
        let seen = try await round(faulty(server.url))
        let target = "http://127.0.0.1:\(elsewhere.port)/hawtio/jolokia"
        #expect(seen.faulty.error == .redirect(status: 301, location: target, loop: false))
        let summary = seen.faulty.error?.summary ?? ""
        #expect(summary == "HTTP 301 redirect to \(target) (not followed)")
        for secret in ["admin", "s3cret", "abc123", "t0ps3cret", "frag"] {
            #expect(!summary.contains(secret), "\(secret) shown: \(summary)")
        }
        #expect(server.requests.count == 1)
        #expect(elsewhere.requests.isEmpty, "the redirect was followed (with the password)")
    }

    // MARK: - TLS

    @Test func selfSignedCertificateIsTLSAndInsecureGetsThrough() async throws {
        let directory = try TemporaryDirectory()
        let server = try await SelfSignedTLSServer.start(in: directory.path, body: JolokiaFixtures.master())
        do {
            let refused = try await round(faulty(server.url))
            #expect(refused.faulty.error?.code == "tls", "\(String(describing: refused.faulty.error))")
            #expect(refused.faulty.error?.summary == "TLS: certificate not trusted (self-signed, unknown CA or expired)")

            // `insecure: true` skips verification: the same endpoint now reads as a master.
            let accepted = try await round(faulty(server.url, insecure: true))
            #expect(accepted.faulty.error == nil, "\(String(describing: accepted.faulty.error))")
            #expect(accepted.faulty.slave == false)
            #expect(accepted.faulty.brokerName == "broker1")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
