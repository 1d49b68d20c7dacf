import AMQTopCore
import Foundation

/// Where one Jolokia endpoint's connection goes, and how it is secured.
///
/// The key of a kept-alive connection: two brokers behind the same address and TLS settings
/// share it, any difference in either gets a connection of its own.
public struct HTTPEndpoint: Hashable, Sendable {
    /// The socket the connection is made to.
    public enum Address: Hashable, Sendable {
        /// A TCP host (name or IP literal, without brackets) and port.
        case tcp(host: String, port: Int)
        /// A unix socket, such as the one ssh forwards to a remote broker's loopback port.
        case unix(path: String)
    }

    /// How the server's certificate is checked when the URL is https.
    public struct TLS: Hashable, Sendable {
        /// `insecure: true`: no certificate check at all.
        public var insecure: Bool
        /// `ca:`: an extra PEM file of trusted roots.
        public var caFile: String?
        /// The name the certificate must be for (also sent as SNI); nil for an IP literal.
        public var serverHostname: String?
    }

    public var address: Address
    /// nil for plain http.
    public var tls: TLS?

    /// The endpoint of a configured Jolokia `url` for `broker`, connected to `socketPath`
    /// instead of the URL's host when given (an ssh forward).
    public static func of(
        url: String, broker: BrokerConfig, socketPath: String? = nil
    ) -> Result<(endpoint: HTTPEndpoint, target: JolokiaHTTPRequest.Target), EndpointError> {
        let lowered = url.lowercased()
        let isHTTPS = lowered.hasPrefix("https://")
        guard isHTTPS || lowered.hasPrefix("http://") else {
            return .failure(.badURL("Jolokia URL must start with http:// or https://"))
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            return .failure(.badURL("cannot parse the Jolokia URL"))
        }
        let port = components.port ?? (isHTTPS ? 443 : 80)
        guard (1...65535).contains(port) else { return .failure(.badURL("cannot parse the Jolokia URL")) }
        // URLComponents keeps an IPv6 literal's brackets in `host`; sockets and certificates want it bare.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        if let query = components.percentEncodedQuery { path += "?" + query }
        let shownHost = bare.contains(":") ? "[\(bare)]" : bare
        let authority = components.port.map { "\(shownHost):\($0)" } ?? shownHost
        let tls = isHTTPS
            ? TLS(insecure: broker.insecure, caFile: broker.caFile, serverHostname: isIPLiteral(bare) ? nil : bare)
            : nil
        let address: Address = socketPath.map { .unix(path: $0) } ?? .tcp(host: bare, port: port)
        return .success((HTTPEndpoint(address: address, tls: tls), JolokiaHTTPRequest.Target(path: path, authority: authority)))
    }

    /// Whether `host` is an IPv4 or IPv6 literal (never sent as SNI, checked against the certificate's IP entries).
    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
