import AMQTopCore
import AMQTopServe
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `/healthz` judged on the clock now, and the HTTP endpoint answering from `ServeState` over loopback.
struct ServeStateTests {
    static let config = AppConfig(pollMillis: 1000, timeoutMillis: 2000, groups: [GroupConfig(name: "orders", brokers: [BrokerConfig(name: "b1")])])

    @Test func healthIs503UntilARoundAnd200WhileRoundsCompleteThen503WithTheReason() {
        let clock = ManualClock(startMillis: 1_000_000)
        let serve = ServeState(clock: clock, localHost: "h")
        #expect(serve.health() == .unhealthy("not polling yet"))
        var state = AppState(config: Self.config, nowMillis: clock.nowMillis())
        serve.publish(state)
        #expect(serve.health() == .unhealthy("waiting for the first complete poll round"))
        _ = Reducer.reduce(&state, .roundComplete(atMillis: clock.nowMillis()))
        serve.publish(state)
        #expect(serve.health().isHealthy)
        // The loop publishes nothing more (stalled): the verdict still moves with the clock.
        clock.advance(byMillis: 5000)
        #expect(!serve.health().isHealthy)
        #expect(serve.health().text.hasPrefix("late: "), "\(serve.health().text)")
        clock.advance(byMillis: 10_000)
        #expect(serve.health() == .unhealthy("failing: no complete poll round for 15s"), "\(serve.health().text)")
    }

    @Test func theEndpointServesBothFormatsHealthAndRefusesOtherMethods() async throws {
        let clock = ManualClock(startMillis: 1_000_000)
        let serve = ServeState(clock: clock, localHost: "h")
        var state = AppState(config: Self.config, nowMillis: clock.nowMillis())
        _ = Reducer.reduce(&state, .roundComplete(atMillis: clock.nowMillis()))
        serve.publish(state)
        let server = try await MetricsHTTPServer.start(host: "127.0.0.1", port: 0, state: serve)
        defer { Task { await server.close() } }
        let base = "http://127.0.0.1:\(try #require(server.port))"
        let plain = try await Self.get(base + "/metrics")
        #expect(plain.status == 200)
        #expect(plain.type == "text/plain; version=0.0.4; charset=utf-8")
        #expect(plain.body.contains(#"amqtop_group_status{group="orders"} 3"#))
        let open = try await Self.get(base + "/metrics", accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
        #expect(open.type.hasPrefix("application/openmetrics-text; version=1.0.0"))
        #expect(open.body.hasSuffix("# EOF\n"))
        #expect(try await Self.get(base + "/healthz").status == 200)
        clock.advance(byMillis: 60_000)
        let failing = try await Self.get(base + "/healthz")
        #expect(failing.status == 503)
        #expect(failing.body.hasPrefix("failing: no complete poll round"))
        #expect(try await Self.get(base + "/status.json").body.contains("\"orders\""))
        #expect(try await Self.get(base + "/other").status == 404)
        #expect(try await Self.get(base + "/metrics", method: "POST").status == 405)
    }

    static func get(_ url: String, accept: String? = nil, method: String = "GET") async throws -> (status: Int, type: String, body: String) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        request.httpMethod = method
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
    }
}
