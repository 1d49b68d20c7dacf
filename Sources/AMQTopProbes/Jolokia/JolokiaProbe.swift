import AMQTopCore
import Foundation
import NIOCore

/// Polls brokers' Jolokia endpoints: one bulk POST per poll, every failure classified.
///
/// Each poll has one deadline covering name discovery, the connect, the request and the
/// body; a body is abandoned past `maxBodyBytes`, so a misbehaving endpoint costs neither
/// time nor memory beyond those bounds, and a hung one costs nothing to the others (each
/// endpoint has its own connection, each request its own timer on the event loop). The
/// local `EndpointPolling`: posts from this host, on `ProbeHTTPClient`'s kept-alive
/// connections, with the request bytes built once per broker.
public final class JolokiaProbe: EndpointPolling {
    private let http: ProbeHTTPClient
    private let timeoutMillis: Int64
    private let maxBodyBytes: Int
    private let environment: @Sendable (String) -> String?
    private let cache = JolokiaProbeCache()
    /// Stamps each observation's time (latency is measured on the monotonic clock).
    private let clock: any AppClock

    /// The body cap: real answers are a few KiB, so 1 MiB leaves room for big connector lists.
    public static let defaultMaxBodyBytes = 1 << 20

    /// Creates a probe on a shared client; `environment` resolves `passwordEnv:` (defaults to the process's).
    public init(
        http: ProbeHTTPClient, timeoutMillis: Int64, maxBodyBytes: Int = JolokiaProbe.defaultMaxBodyBytes,
        environment: @escaping @Sendable (String) -> String? = { name in getenv(name).map { String(cString: $0) } },
        clock: any AppClock = SystemClock()
    ) {
        self.clock = clock
        self.http = http
        self.timeoutMillis = timeoutMillis
        self.maxBodyBytes = maxBodyBytes
        self.environment = environment
    }

    /// One poll of the broker's MBean; nil when the broker has no Jolokia URL configured.
    public func poll(_ broker: BrokerConfig) async -> JolokiaObservation? {
        guard let url = broker.jolokia else { return nil }
        let started = Monotonic.millis()
        let deadline = NIODeadline.now() + .milliseconds(max(1, timeoutMillis))
        let result = await pollWithin(deadline, broker, url: url)
        let latency = Monotonic.millis() - started
        let now = clock.nowMillis()
        switch result {
        case .failed(let error):
            var observation = JolokiaObservation.failed(error, atMillis: now, latencyMillis: latency)
            observation.mbeanBrokerName = broker.mbeanBrokerName
            return observation
        case .answered(let body, let mbeanName, let key):
            // Read where the HTTP layer put it, without a copy.
            let observation = body.withUnsafeReadableBytes {
                JolokiaResponseParser.observation(fromBulkRead: $0, atMillis: now, latencyMillis: latency, mbeanBrokerName: mbeanName)
            }
            // A discovered name that stopped working (the broker was renamed or replaced) is
            // looked up again next time; judged from this parse, not a second one of the body.
            if broker.mbeanBrokerName == nil, case .jolokia(let type, _)? = observation.error,
                type.hasSuffix("InstanceNotFoundException") {
                cache.forget(key)
            }
            return observation
        }
    }

    /// Asks the broker to stop (`exec` of the MBean's `stop` operation), on a connection of its own.
    public func stop(_ broker: BrokerConfig) async -> JolokiaStopOutcome {
        guard let url = broker.jolokia else { return .failed(.badURL("no Jolokia URL configured")) }
        let deadline = NIODeadline.now() + .milliseconds(max(1, timeoutMillis))
        let ready: Ready
        switch await self.ready(broker, url: url, deadline: deadline) {
        case .failure(let error): return .failed(error)
        case .success(let found): ready = found
        }
        let request = JolokiaHTTPRequest.make(
            JolokiaRequests.stop(mbean: JolokiaRequests.brokerMBean(ready.mbeanName)), to: ready.entry.target,
            authorization: ready.authorization)
        // A connection of its own: its breaking must mean the broker got the stop.
        switch await send(request, on: ready.entry, url: url, deadline: deadline, keep: false) {
        case .failure(let error): return .failed(error)
        case .success(let body):
            if let error = JolokiaResponseParser.execError(Data(body.readableBytesView)) { return .failed(error) }
            return .accepted
        }
    }

    // MARK: - Steps

    private enum PollResult: Sendable {
        case answered(ByteBuffer, mbeanName: String, key: JolokiaProbeCache.Key)
        case failed(EndpointError)
    }

    private func pollWithin(_ deadline: NIODeadline, _ broker: BrokerConfig, url: String) async -> PollResult {
        let ready: Ready
        switch await self.ready(broker, url: url, deadline: deadline) {
        case .failure(let error): return .failed(error)
        case .success(let found): ready = found
        }
        let request = cache.bulkRead(ready.key, name: ready.mbeanName, authorization: ready.authorization, target: ready.entry.target)
        switch await send(request, on: ready.entry, url: url, deadline: deadline, keep: true) {
        case .failure(let error): return .failed(error)
        case .success(let body): return .answered(body, mbeanName: ready.mbeanName, key: ready.key)
        }
    }

    /// What a request to a broker's MBean needs: its endpoint, credentials and MBean name.
    private struct Ready {
        var key: JolokiaProbeCache.Key
        var entry: JolokiaProbeCache.Entry
        var authorization: String?
        var mbeanName: String
    }

    /// The endpoint, the `Authorization` and the MBean name (discovered if need be), or why
    /// no request can be sent.
    private func ready(_ broker: BrokerConfig, url: String, deadline: NIODeadline) async -> Result<Ready, EndpointError> {
        let key = JolokiaProbeCache.key(broker, url: url)
        let entry: JolokiaProbeCache.Entry
        let authorization: String?
        switch prepare(broker, url: url) {
        case .failure(let error): return .failure(error)
        case .success(let prepared): (entry, authorization) = (prepared.entry, prepared.authorization)
        }
        return await mbeanName(for: broker, entry: entry, key: key, authorization: authorization, url: url, deadline: deadline)
            .map { Ready(key: key, entry: entry, authorization: authorization, mbeanName: $0) }
    }

    /// The endpoint's cached state and the broker's `Authorization`, or why nothing can be sent.
    private func prepare(_ broker: BrokerConfig, url: String) -> Result<(entry: JolokiaProbeCache.Entry, authorization: String?), EndpointError> {
        let made = cache.entry(JolokiaProbeCache.key(broker, url: url)) {
            HTTPEndpoint.of(url: url, broker: broker).map { endpoint, target in
                JolokiaProbeCache.Entry(connection: http.connection(to: endpoint), target: target)
            }
        }
        switch made {
        case .failure(let error): return .failure(error)
        case .success(let entry):
            // Resolved on every poll, so a rewritten password file is used from the next poll on.
            return JolokiaHTTPRequest.credentials(of: broker, environment: environment).map { (entry, $0) }
        }
    }

    /// The configured MBean name, or the one a pattern read found (cached per endpoint).
    private func mbeanName(
        for broker: BrokerConfig, entry: JolokiaProbeCache.Entry, key: JolokiaProbeCache.Key, authorization: String?,
        url: String, deadline: NIODeadline
    ) async -> Result<String, EndpointError> {
        if let configured = broker.mbeanBrokerName { return .success(configured) }
        if let cached = entry.discoveredName { return .success(cached) }
        let request = JolokiaHTTPRequest.make(JolokiaRequests.discovery(), to: entry.target, authorization: authorization)
        switch await send(request, on: entry, url: url, deadline: deadline, keep: true) {
        case .failure(let error):
            return .failure(error)
        case .success(let body):
            switch JolokiaResponseParser.brokerNames(fromDiscovery: Data(body.readableBytesView)) {
            case .failure(let error):
                return .failure(error)
            case .success(let found):
                // Several brokers in one JVM: prefer the one named like the configured broker.
                guard let name = found.first(where: { $0 == broker.name }) ?? found.first else {
                    return .failure(.jolokia(
                        type: "javax.management.InstanceNotFoundException",
                        message: "no MBean matches \(JolokiaRequests.brokerPattern)"))
                }
                cache.remember(name, for: key)
                return .success(name)
            }
        }
    }

    /// One exchange on the endpoint's connection; the answer's body, as received, when HTTP 200.
    private func send(
        _ request: JolokiaHTTPRequest, on entry: JolokiaProbeCache.Entry, url: String, deadline: NIODeadline, keep: Bool
    ) async -> Result<ByteBuffer, EndpointError> {
        let answer = await entry.connection.send(
            request, deadline: deadline, timeoutMillis: timeoutMillis, maxBodyBytes: maxBodyBytes, keep: keep)
        return answer.flatMap { $0.jolokiaBuffer(requestURL: url) }
    }
}
