/// Why a broker's status endpoint gave no usable answer, classified so operators can act on it.
///
/// Each case keeps enough detail to explain itself on screen and in `--json`, and none
/// of them ever carries a credential.
public enum EndpointError: Error, Equatable, Sendable, Hashable {
    /// The TCP connection was refused: nothing listens (a stopped broker, or a stock slave).
    case refused
    /// No complete answer arrived before the per-request deadline.
    case timeout(afterMillis: Int64)
    /// The host name did not resolve.
    case dns(String)
    /// The TLS handshake failed (untrusted certificate, wrong host name, protocol).
    case tls(String)
    /// HTTP 401 or 403: the credentials were refused.
    case auth(status: Int)
    /// Any other non-200 HTTP status.
    case httpStatus(Int)
    /// An HTTP redirect (301, 302, 303, 307, 308), reported and never followed: following it
    /// could send the basic-auth password to another host.
    ///
    /// `location` is where it pointed, made absolute and safe to show (no userinfo, query,
    /// fragment or path parameters), or nil when the answer had no usable `Location`;
    /// `loop` is true when it pointed back at the requested URL itself.
    case redirect(status: Int, location: String?, loop: Bool)
    /// The body was not JSON, or not the JSON shape Jolokia answers with.
    case notJSON(String)
    /// Jolokia answered with an error of its own (for the whole request, not one attribute).
    case jolokia(type: String, message: String)
    /// The body exceeded the size cap and was cut off.
    case tooLarge(limitBytes: Int)
    /// The connection broke (reset, closed mid-body) or another transport failure.
    case connection(String)
    /// The endpoint URL in the configuration cannot be used.
    case badURL(String)
    /// The configured password could not be obtained (unset variable, unsafe or unreadable file).
    ///
    /// The detail names the source (variable or file), never the secret.
    case credentials(String)

    /// A short stable code for JSON output and tests, e.g. `refused`, `timeout`, `auth`.
    public var code: String {
        switch self {
        case .refused: "refused"
        case .timeout: "timeout"
        case .dns: "dns"
        case .tls: "tls"
        case .auth: "auth"
        // A redirect is one more HTTP status to a script: the code stays the one it always had.
        case .httpStatus, .redirect: "http"
        case .notJSON: "notJSON"
        case .jolokia: "jolokia"
        case .tooLarge: "tooLarge"
        case .connection: "connection"
        case .badURL: "badURL"
        case .credentials: "credentials"
        }
    }

    /// A one-line human explanation, short enough for a table cell's detail line.
    public var summary: String {
        switch self {
        case .refused: "connection refused"
        case .timeout(let ms): "timeout after \(DurationFormat.short(ms))"
        case .dns(let detail): "DNS: \(detail)"
        case .tls(let detail): "TLS: \(detail)"
        case .auth(let status): "auth refused (HTTP \(status))"
        case .httpStatus(let status): "HTTP \(status)"
        // "loop" first: a table cell cut to its width must still say what is wrong.
        case .redirect(let status, _, true): "HTTP \(status) redirect loop: Location is this same URL (not followed)"
        case .redirect(let status, let location?, false): "HTTP \(status) redirect to \(location) (not followed)"
        case .redirect(let status, nil, false): "HTTP \(status) redirect without a usable Location (not followed)"
        case .notJSON(let detail): "not Jolokia JSON: \(detail)"
        case .jolokia(let type, let message): "Jolokia error \(type): \(message)"
        case .tooLarge(let limit): "body larger than \(limit / 1024) KiB"
        case .connection(let detail): "connection: \(detail)"
        case .badURL(let detail): "bad URL: \(detail)"
        case .credentials(let detail): "password: \(detail)"
        }
    }
}
