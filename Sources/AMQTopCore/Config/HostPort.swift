import Foundation

/// A TCP endpoint parsed from `tcp://host:port` (or `host:port`), as in ActiveMQ transport URIs.
public struct HostPort: Equatable, Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `tcp://host:port`, `nio://host:port?opts`, `host:port` or `[::1]:port`; nil if malformed.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "/" }) { rest = rest[..<query] }
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            portPart = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (1...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Why `host` can be no address to connect to, or nil when it can be one.
    ///
    /// A dotted all-digit host must be an IPv4 address (`10.0.0.300` is refused, not
    /// resolved); a name holds only letters, digits, `-`, `_` and `.`; a bracketed IPv6
    /// address only hex digits, `:` and `.` (and a `%zone`).
    public static func hostProblem(_ host: String) -> String? {
        guard !host.isEmpty else { return "no host" }
        guard host.utf8.count <= 253 else { return "a host name longer than 253 characters" }
        if host.contains(":") {
            let address = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? host
            let allowed = address.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
            return allowed ? nil : "not an IPv6 address: \(host)"
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if host.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
            guard labels.count == 4, labels.allSatisfy({ !$0.isEmpty && $0.count <= 3 && (Int($0) ?? 256) <= 255 }) else {
                return "not an IPv4 address: \(host)"
            }
            return nil
        }
        let nameCharacters = host.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        // A trailing dot (a fully qualified name) is the one empty label allowed.
        let inner = host.hasSuffix(".") ? labels.dropLast() : labels[...]
        guard nameCharacters, !inner.contains(where: \.isEmpty) else {
            return "not a host name: \(host)"
        }
        return nil
    }

    /// Why the host or port of an http(s) URL cannot be connected to, or nil.
    ///
    /// A port above 65535 with an IP address trapped inside the HTTP client; the port is
    /// read from the text itself (digits only, 1-65535), the host checked by ``hostProblem(_:)``.
    public static func urlAuthorityProblem(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return "no scheme" }
        var authority = Substring(url[scheme.upperBound...])
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "an unclosed [ in the host" }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "text after the ] of the host" }
                port = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port), (1...65535).contains(number) else {
                return "not a port (1-65535): \(port)"
            }
        }
        let decoded = String(host).removingPercentEncoding ?? String(host)
        return hostProblem(decoded)
    }
}
