import AMQTopCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Polls brokers' Jolokia endpoints: one bulk POST per poll, every failure classified.
///
/// Each poll has one deadline covering name discovery, the request and the body; a body is
/// streamed and abandoned past `maxBodyBytes`, so a misbehaving endpoint costs neither time
/// nor memory beyond those bounds. The local `EndpointPolling`: posts from this host.
public final class JolokiaProbe: EndpointPolling {
    private let http: ProbeHTTPClient
    private let timeoutMillis: Int64
    private let maxBodyBytes: Int
    private let environment: @Sendable (String) -> String?
    private let names = MBeanNameCache()
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
        let timeout = timeoutMillis
        let result = await Deadline.run(millis: timeout, onTimeout: { PollResult.failed(.timeout(afterMillis: timeout)) }) {
            await self.pollWithoutDeadline(broker, url: url)
        }
        let latency = Monotonic.millis() - started
        let now = clock.nowMillis()
        switch result {
        case .failed(let error):
            var observation = JolokiaObservation.failed(error, atMillis: now, latencyMillis: latency)
            observation.mbeanBrokerName = broker.mbeanBrokerName
            return observation
        case .answered(let body, let mbeanName):
            let observation = JolokiaResponseParser.observation(
                fromBulkRead: body, atMillis: now, latencyMillis: latency, mbeanBrokerName: mbeanName)
            // A discovered name that stopped working (the broker was renamed or replaced) is
            // looked up again next time; judged from this parse, not a second one of the body.
            if broker.mbeanBrokerName == nil, case .jolokia(let type, _)? = observation.error,
                type.hasSuffix("InstanceNotFoundException") {
                await names.forget(url)
            }
            return observation
        }
    }

    /// Asks the broker to stop (`exec` of the MBean's `stop` operation).
    public func stop(_ broker: BrokerConfig) async -> JolokiaStopOutcome {
        guard let url = broker.jolokia else { return .failed(.badURL("no Jolokia URL configured")) }
        let timeout = timeoutMillis
        return await Deadline.run(millis: timeout, onTimeout: { .failed(.timeout(afterMillis: timeout)) }) {
            let mbeanName: String
            switch await self.mbeanName(for: broker, url: url) {
            case .failure(let error): return .failed(error)
            case .success(let name): mbeanName = name
            }
            switch await self.post(JolokiaRequests.stop(mbean: JolokiaRequests.brokerMBean(mbeanName)), to: url, broker: broker) {
            case .failure(let error): return .failed(error)
            case .success(let body):
                if let error = JolokiaResponseParser.execError(body) { return .failed(error) }
                return .accepted
            }
        }
    }

    // MARK: - Steps

    private enum PollResult: Sendable {
        case answered(Data, mbeanName: String)
        case failed(EndpointError)
    }

    private func pollWithoutDeadline(_ broker: BrokerConfig, url: String) async -> PollResult {
        let mbeanName: String
        switch await self.mbeanName(for: broker, url: url) {
        case .failure(let error): return .failed(error)
        case .success(let name): mbeanName = name
        }
        switch await post(await names.bulkReadBody(forBroker: mbeanName), to: url, broker: broker) {
        case .failure(let error): return .failed(error)
        case .success(let body): return .answered(body, mbeanName: mbeanName)
        }
    }

    /// The configured MBean name, or the one a pattern read found (cached per endpoint).
    private func mbeanName(for broker: BrokerConfig, url: String) async -> Result<String, EndpointError> {
        if let configured = broker.mbeanBrokerName { return .success(configured) }
        if let cached = await names.name(for: url) { return .success(cached) }
        switch await post(JolokiaRequests.discovery(), to: url, broker: broker) {
        case .failure(let error):
            return .failure(error)
        case .success(let body):
            switch JolokiaResponseParser.brokerNames(fromDiscovery: body) {
            case .failure(let error):
                return .failure(error)
            case .success(let found):
                // Several brokers in one JVM: prefer the one named like the configured broker.
                guard let name = found.first(where: { $0 == broker.name }) ?? found.first else {
                    return .failure(.jolokia(
                        type: "javax.management.InstanceNotFoundException",
                        message: "no MBean matches \(JolokiaRequests.brokerPattern)"))
                }
                await names.remember(name, for: url)
                return .success(name)
            }
        }
    }

    /// One POST with credentials and TLS settings; the answer body when HTTP 200.
    private func post(_ body: Data, to url: String, broker: BrokerConfig) async -> Result<Data, EndpointError> {
        let lowered = url.lowercased()
        let isHTTPS = lowered.hasPrefix("https://")
        guard isHTTPS || lowered.hasPrefix("http://") else { return .failure(.badURL("Jolokia URL must start with http:// or https://")) }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        if let username = broker.username {
            var password = Secret("")
            if let source = broker.password {
                switch PasswordResolver.resolve(source, environment: environment) {
                case .failure(let failure): return .failure(.credentials(failure.description))
                case .success(let secret): password = secret
                }
            }
            request.setBasicAuth(username: username, password: password.plainText)
        }
        if isHTTPS, broker.insecure || broker.caFile != nil {
            var tls = TLSConfiguration.makeClientConfiguration()
            if broker.insecure { tls.certificateVerification = .none }
            if let caFile = broker.caFile {
                // Read through SafeFile (a FIFO swapped in after the config check must not
                // block this probe outside its deadline), and named when it is bad.
                do {
                    tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMBytes(CAFileCheck.pem(atPath: caFile)))]
                } catch let failure as SafeFile.Failure {
                    return .failure(.tls("CA file \(failure)"))
                } catch {
                    return .failure(.tls("CA file \(caFile): no usable PEM certificate in it"))
                }
            }
            request.tlsConfiguration = tls
        }
        do {
            // The client's own deadline is a backstop just past ours, so our deadline (and its
            // classification) wins.
            let response = try await http.client.execute(request, deadline: .now() + .milliseconds(timeoutMillis + 250))
            switch response.status.code {
            case 200: break
            case 401, 403: return .failure(.auth(status: Int(response.status.code)))
            case let code where RedirectReport.statuses.contains(Int(code)):
                // Reported, never followed (see ProbeHTTPClient): where it pointed, minus any secrets.
                return .failure(RedirectReport.error(
                    status: Int(code), location: response.headers.first(name: "Location"), requestURL: url))
            default: return .failure(.httpStatus(Int(response.status.code)))
            }
            if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > maxBodyBytes {
                return .failure(.tooLarge(limitBytes: maxBodyBytes))
            }
            var collected = Data()
            for try await chunk in response.body {
                guard collected.count + chunk.readableBytes <= maxBodyBytes else {
                    // Leaving the loop drops the body stream, which closes the connection.
                    return .failure(.tooLarge(limitBytes: maxBodyBytes))
                }
                collected.append(contentsOf: chunk.readableBytesView)
            }
            return .success(collected)
        } catch {
            return .failure(TransportErrorClassifier.classify(error, timeoutMillis: timeoutMillis))
        }
    }
}
