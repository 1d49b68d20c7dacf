import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The kept-alive connections under the Jolokia probe, against real listeners on 127.0.0.1:
/// reused while the broker keeps them, replaced when it closes them, one request at a time,
/// and every failure (deadline, cut-off answer) ending the connection it happened on.
@Suite struct EndpointConnectionsTests {
    /// A probe on a fresh client, shut down afterwards.
    func withProbe<T>(timeoutMillis: Int64 = 2000, _ body: (JolokiaProbe, ProbeHTTPClient) async throws -> T) async rethrows -> T {
        let http = ProbeHTTPClient(connectTimeoutMillis: timeoutMillis)
        let probe = JolokiaProbe(http: http, timeoutMillis: timeoutMillis)
        do {
            let result = try await body(probe, http)
            await http.shutdown()
            return result
        } catch {
            await http.shutdown()
            throw error
        }
    }

    func broker(_ url: String, mbean: String = "broker1") -> BrokerConfig {
        BrokerConfig(name: mbean, jolokia: url, mbeanBrokerName: mbean)
    }

    @Test func pollsOfABrokerShareOneConnection() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { server.stop() }
        let observations = try await withProbe { probe, _ in
            var seen: [JolokiaObservation] = []
            for _ in 0..<5 { seen.append(try #require(await probe.poll(broker(server.url)))) }
            return seen
        }
        #expect(observations.allSatisfy { $0.error == nil && $0.slave == false })
        #expect(server.requests.count == 5)
        #expect(server.connectionsAccepted == 1, "\(server.connectionsAccepted) connections for 5 polls")
        #expect(Set(server.requests.map(\.connection)) == [0])
    }

    @Test func aConnectionTheBrokerClosedIsReplacedAndThePollStillAnswered() async throws {
        // The second request on any connection finds it closed without an answer, as when a
        // server closes an idle connection just as the next poll is written into it.
        let server = try TestHTTPServer { request in
            request.indexOnConnection == 1 ? .closeWithoutAnswer : .respond(status: 200, body: JolokiaFixtures.master())
        }
        defer { server.stop() }
        let (first, second, third) = try await withProbe { probe, _ in
            (try #require(await probe.poll(broker(server.url))),
             try #require(await probe.poll(broker(server.url))),
             try #require(await probe.poll(broker(server.url))))
        }
        #expect(first.error == nil)
        #expect(second.error == nil, "the poll into a closed connection was not sent again: \(String(describing: second.error))")
        #expect(second.slave == false)
        #expect(third.error == nil)
        // 1st on connection 0; 2nd closed on connection 0, sent again on connection 1; 3rd closed
        // on connection 1, sent again on connection 2.
        #expect(server.requests.map(\.connection) == [0, 0, 1, 1, 2])
        #expect(server.connectionsAccepted == 3)
    }

    @Test func aBrokerThatClosesEveryConnectionIsAConnectionErrorNotALoop() async throws {
        let server = try TestHTTPServer(always: .closeWithoutAnswer)
        defer { server.stop() }
        let observation = try await withProbe { probe, _ in try #require(await probe.poll(broker(server.url))) }
        #expect(observation.error == ConnectionBreak.closedByPeer.error)
        // A fresh connection that breaks is not retried: one request.
        #expect(server.requests.count == 1)
    }

    @Test func aLateAnswerNeverBecomesTheNextPollsAnswer() async throws {
        // The first poll's answer comes after its deadline; the next polls must get their own.
        let server = try TestHTTPServer { request in
            request.connection == 0 && request.indexOnConnection == 0
                ? .delayed(body: JolokiaFixtures.master("late"), millis: 1500)
                : .respond(status: 200, body: JolokiaFixtures.master("fresh"))
        }
        defer { server.stop() }
        let (timedOut, next, after) = try await withProbe(timeoutMillis: 600) { probe, _ in
            (try #require(await probe.poll(broker(server.url, mbean: "fresh"))),
             try #require(await probe.poll(broker(server.url, mbean: "fresh"))),
             try #require(await probe.poll(broker(server.url, mbean: "fresh"))))
        }
        #expect(timedOut.error == .timeout(afterMillis: 600))
        #expect(next.error == nil && next.brokerName == "fresh", "\(String(describing: next.error)) \(String(describing: next.brokerName))")
        #expect(after.brokerName == "fresh")
        // The timed-out connection was closed, not reused.
        #expect(server.requests.first { $0.connection == 0 && $0.indexOnConnection == 1 } == nil)
    }

    @Test func concurrentPollsOfBrokersBehindOneURLEachGetTheirOwnAnswer() async throws {
        // Twenty brokers behind one URL, the answer named after the MBean asked for and
        // delayed by a varying few milliseconds, so answers finish out of order.
        let server = try TestHTTPServer { request in
            let name = request.body.range(of: "brokerName=b[0-9]+", options: .regularExpression)
                .map { String(request.body[$0].dropFirst("brokerName=".count)) } ?? "none"
            return .delayed(body: JolokiaFixtures.master(name), millis: Int.random(in: 0...30))
        }
        defer { server.stop() }
        let brokers = (0..<20).map { broker(server.url, mbean: "b\($0)") }
        let config = AppConfig(timeoutMillis: 5000, groups: [GroupConfig(name: "g", brokers: brokers)])
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        var rounds: [[BrokerObservation]] = []
        for _ in 0..<3 { rounds.append(await prober.probeAll(config).flatMap(\.brokers)) }
        await http.shutdown()
        for round in rounds {
            #expect(round.count == 20)
            for observation in round {
                #expect(observation.jolokia?.error == nil, "\(observation.name): \(String(describing: observation.jolokia?.error))")
                #expect(observation.jolokia?.brokerName == observation.name, "\(observation.name) got \(String(describing: observation.jolokia?.brokerName))")
            }
        }
        // Kept between rounds: no more connections than polls ever overlapped.
        #expect(server.connectionsAccepted <= 20, "\(server.connectionsAccepted) connections for 3 rounds of 20")
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n[{\"request\":",
    ])
    func aHalfWrittenAnswerTimesOut(prefix: String) async throws {
        let server = try TestHTTPServer(always: .stall(bytes: Array(prefix.utf8)))
        defer { server.stop() }
        let healthy = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { healthy.stop() }
        let (stalled, elapsed, fine) = try await withProbe(timeoutMillis: 700) { probe, _ in
            let (stalled, elapsed) = try await Waiting.timed { try #require(await probe.poll(broker(server.url))) }
            return (stalled, elapsed, try #require(await probe.poll(broker(healthy.url))))
        }
        #expect(stalled.error == .timeout(afterMillis: 700))
        // The server never completes the answer: finishing at all proves the deadline.
        #expect(elapsed >= 650 && elapsed < 10_000, "took \(elapsed) ms")
        #expect(fine.error == nil)
    }

    @Test func anIdleConnectionIsKeptAndClosedAtShutdown() async throws {
        let server = try TestHTTPServer(always: .respond(status: 200, body: JolokiaFixtures.master()))
        defer { server.stop() }
        let http = ProbeHTTPClient(connectTimeoutMillis: 2000)
        let probe = JolokiaProbe(http: http, timeoutMillis: 2000)
        _ = await probe.poll(broker(server.url))
        let endpoint = try HTTPEndpoint.of(url: server.url, broker: broker(server.url)).get().endpoint
        let connections = http.connection(to: endpoint)
        #expect(try await connections.idleCount().get() == 1)
        await http.shutdown()
        #expect(try await connections.idleCount().get() == 0)
    }
}
