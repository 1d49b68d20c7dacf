import AMQTopCore
import Foundation

/// Turns a redirect the probe refused to follow into an `EndpointError` that is safe to show.
///
/// Redirects stay disabled (`ProbeHTTPClient`): following one would send the Jolokia
/// password to wherever it points. Saying where it pointed is what lets an operator fix
/// the configured URL, but a `Location` is written by the server and may carry secrets of
/// its own, so only its scheme, host, port and path are kept: never userinfo, a query,
/// a fragment or path parameters (`;jsessionid=…`).
public enum RedirectReport {
    /// The statuses that carry a `Location` to go to; any other 3xx is a plain HTTP status.
    public static let statuses: Set<Int> = [301, 302, 303, 307, 308]

    /// The longest location shown; a longer one is cut, as no screen cell holds more anyway.
    static let maxLocationLength = 200

    /// The error for a `status` answer to `requestURL` whose `Location` header was `location`.
    public static func error(status: Int, location: String?, requestURL: String) -> EndpointError {
        guard let base = URL(string: requestURL), let target = resolve(location, against: base) else {
            return .redirect(status: status, location: nil, loop: false)
        }
        return .redirect(status: status, location: shown(target), loop: identity(target) == identity(base))
    }

    /// The `Location` as an absolute http(s) URL with a host, or nil when it is missing or unusable.
    static func resolve(_ location: String?, against base: URL) -> URL? {
        guard let text = location?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            let url = URL(string: text, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        return url
    }

    /// What the operator sees: scheme, host, port and path, cut to `maxLocationLength`.
    static func shown(_ url: URL) -> String {
        var components = URLComponents()
        components.scheme = url.scheme?.lowercased()
        components.host = url.host?.lowercased()
        components.port = url.port
        // Path parameters (";jsessionid=…" from a servlet container) are session secrets.
        components.percentEncodedPath = url.path.isEmpty ? "/" : encodedPath(of: url)
        let text = components.string ?? "\(components.scheme ?? "http")://\(url.host ?? "")"
        return text.count > maxLocationLength ? String(text.prefix(maxLocationLength - 3)) + "..." : text
    }

    /// The URL's path as sent (percent-encoded), without path parameters.
    private static func encodedPath(of url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
        return segments.joined(separator: "/")
    }

    /// What makes two URLs the same request target: scheme, host, port (defaults filled in),
    /// path and query; userinfo and fragment are not sent as part of the target.
    static func identity(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? url.path
        let query = components?.percentEncodedQuery.map { "?" + $0 } ?? ""
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)\(path.isEmpty ? "/" : path)\(query)"
    }
}
