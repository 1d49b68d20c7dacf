import AMQTopCore
import AMQTopProbes
import Foundation
import NIOCore

/// Polls a broker's Jolokia on its host's loopback through the host's SSH connection.
///
/// The request goes to the unix socket ssh forwards, so the broker sees it come from its own
/// 127.0.0.1, as a hardened `jolokia-access.xml` demands. It is a sibling of `JolokiaProbe`
/// on the same transport (a kept-alive connection per forward socket, `ProbeHTTPClient`),
/// with the same request builder (`JolokiaHTTPRequest`: headers, basic auth, and the
/// configured URL's authority as `Host`, which Jetty expects and the socket path is not),
/// the same parser and the same error classes.
///
/// Through a forward, "nothing listens" is not a refused TCP connect: ssh accepts the local
/// connection and closes it when the host's connect fails. So a connection error is checked
/// against the host's socket table and reported as `refused` when nothing listens there,
/// which keeps a silent slave a slave.
public struct ForwardedJolokiaProbe: EndpointPolling {
    private let pool: HostPool
    private let http: ProbeHTTPClient
    private let timeoutMillis: Int64
    private let environment: @Sendable (String) -> String?
    private let clock: any AppClock
    private let names = ForwardedNameCache()

    public init(
        pool: HostPool, http: ProbeHTTPClient, timeoutMillis: Int64, clock: any AppClock = SystemClock(),
        environment: @escaping @Sendable (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) {
        self.clock = clock
        self.pool = pool
        self.http = http
        self.timeoutMillis = timeoutMillis
        self.environment = environment
    }

    /// One poll within the deadline; nil when the broker has no Jolokia URL or no host.
    public func poll(_ broker: BrokerConfig) async -> JolokiaObservation? {
        guard broker.host != nil, broker.jolokia != nil else { return nil }
        let timeout = timeoutMillis
        let clock = clock
        let started = Uptime.millis()
        return await FirstToFinish.run(millis: timeout, onTimeout: {
            var observation = JolokiaObservation.failed(
                .timeout(afterMillis: timeout), atMillis: clock.nowMillis(), latencyMillis: Uptime.millis() - started)
            observation.mbeanBrokerName = broker.mbeanBrokerName
            return observation
        }) {
            await self.pollWithoutDeadline(broker)
        }
    }

    private func pollWithoutDeadline(_ broker: BrokerConfig) async -> JolokiaObservation? {
        guard let host = broker.host, let url = broker.jolokia else { return nil }
        let started = Uptime.millis()
        func done(_ error: EndpointError) -> JolokiaObservation {
            var observation = JolokiaObservation.failed(error, atMillis: clock.nowMillis(), latencyMillis: Uptime.millis() - started)
            observation.mbeanBrokerName = broker.mbeanBrokerName
            return observation
        }
        let key = HostPool.key(host: host, url: url)
        guard let connection = pool.connection(host), let forward = pool.forwards[key] else {
            return done(.badURL("no forward for \(url) on \(host)"))
        }
        let status = connection.status
        guard status.state == .connected else {
            return done(.connection(RemoteFailure(host: host, state: status.state).message))
        }
        var name: String
        if let configured = broker.mbeanBrokerName {
            name = configured
        } else if let cached = await names.name(for: key) {
            name = cached
        } else {
            switch await post(JolokiaRequests.discovery(), through: forward.socketPath, broker: broker) {
            case .failure(let error): return done(await refine(error, connection: connection, port: forward.port))
            case .success(let body):
                switch JolokiaResponseParser.brokerNames(fromDiscovery: body) {
                case .failure(let error): return done(error)
                case .success(let found):
                    guard let first = found.first(where: { $0 == broker.name }) ?? found.first else {
                        return done(.jolokia(type: "javax.management.InstanceNotFoundException", message: "no MBean matches \(JolokiaRequests.brokerPattern)"))
                    }
                    name = first
                    await names.remember(first, for: key)
                }
            }
        }
        switch await post(JolokiaRequests.bulkRead(mbean: JolokiaRequests.brokerMBean(name)), through: forward.socketPath, broker: broker) {
        case .failure(let error): return done(await refine(error, connection: connection, port: forward.port))
        case .success(let body):
            let observation = JolokiaResponseParser.observation(
                fromBulkRead: body, atMillis: clock.nowMillis(), latencyMillis: Uptime.millis() - started, mbeanBrokerName: name)
            // A discovered name that stopped working (the broker was replaced) is looked up again next time.
            if broker.mbeanBrokerName == nil, case .jolokia(let type, _)? = observation.error, type.hasSuffix("InstanceNotFoundException") {
                await names.forget(key)
            }
            return observation
        }
    }

    /// Asks the broker to stop over Jolokia, through the forward (the MBean name found by a poll).
    public func stop(_ broker: BrokerConfig) async -> JolokiaStopOutcome {
        guard let observation = await poll(broker) else { return .failed(.badURL("no Jolokia URL configured")) }
        guard let name = observation.mbeanBrokerName ?? broker.mbeanBrokerName else {
            return .failed(observation.error ?? .jolokia(type: "javax.management.InstanceNotFoundException", message: "broker MBean not found"))
        }
        if let error = await stop(broker, mbeanName: name) { return .failed(error) }
        return .accepted
    }

    /// Asks the broker to stop over Jolokia (through the forward); nil error when accepted.
    func stop(_ broker: BrokerConfig, mbeanName: String) async -> EndpointError? {
        guard let host = broker.host, let url = broker.jolokia, let forward = pool.forwards[HostPool.key(host: host, url: url)]
        else { return .badURL("no forward") }
        switch await post(JolokiaRequests.stop(mbean: JolokiaRequests.brokerMBean(mbeanName)), through: forward.socketPath, broker: broker, keep: false) {
        case .failure(let error): return error
        case .success(let body): return JolokiaResponseParser.execError(body)
        }
    }

    /// `http://127.0.0.1:8161/api/jolokia` → `http+unix://%2Fdir%2F0.sock/api/jolokia`: how the
    /// forward of a URL is named where a URL is wanted (the probe itself connects to the socket).
    static func socketURL(_ url: String, socketPath: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https",
              let encoded = socketPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return nil }
        var tail = components.percentEncodedPath
        if let query = components.percentEncodedQuery { tail += "?" + query }
        return "\(scheme)+unix://\(encoded)\(tail)"
    }

    private func refine(_ error: EndpointError, connection: HostConnection, port: Int) async -> EndpointError {
        guard case .connection = error else { return error }
        guard case .success(let reply) = await connection.run(RemoteScripts.tcpTables, timeoutMillis: timeoutMillis) else { return error }
        return RemoteParsers.listens(reply.text, port: port) ? error : .refused
    }

    /// One POST through the forward socket, the request built like the local probe's; the body when HTTP 200.
    ///
    /// `keep: false` (a stop) uses a connection of its own, so its breaking means the broker got it.
    private func post(_ body: Data, through socketPath: String, broker: BrokerConfig, keep: Bool = true) async -> Result<Data, EndpointError> {
        guard let url = broker.jolokia else { return .failure(.badURL("no Jolokia URL configured")) }
        let endpoint: HTTPEndpoint
        let request: JolokiaHTTPRequest
        switch HTTPEndpoint.of(url: url, broker: broker, socketPath: socketPath) {
        case .failure(let error): return .failure(error)
        case .success(let found):
            endpoint = found.endpoint
            switch JolokiaHTTPRequest.make(body, to: found.target, broker: broker, environment: environment) {
            case .failure(let error): return .failure(error)
            case .success(let made): request = made
            }
        }
        let deadline = NIODeadline.now() + .milliseconds(max(1, timeoutMillis))
        let answer = await http.connection(to: endpoint).send(
            request, deadline: deadline, timeoutMillis: timeoutMillis, maxBodyBytes: JolokiaProbe.defaultMaxBodyBytes, keep: keep)
        return answer.flatMap { $0.jolokiaBody(requestURL: url) }
    }
}
