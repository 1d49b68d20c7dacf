/// A JMX object name (`domain:key=value,...`), parsed enough to canonicalise and match
/// patterns the way `javax.management.ObjectName` does for the names the lab serves.
///
/// Independent of `JolokiaResponseParser.brokerName(inObjectName:)` on purpose: this is the
/// server's side of the same name, written from JMX's rules, so the parser is tested against
/// an implementation that did not come from it.
public struct MBeanName: Sendable, Hashable {
    /// The domain before the colon; may contain `*` or `?` in a pattern.
    public let domain: String
    /// The key properties in the order they were written.
    public let properties: [(key: String, value: String)]
    /// True when the property list ends in `,*` (or is just `*`): other keys may be present.
    public let isPropertyListPattern: Bool
    /// The name exactly as given, which JMX exceptions quote.
    public let original: String

    /// Parses `domain:key=value,...`; nil when it is not a well-formed object name.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let domain = String(text[..<colon])
        let rest = text[text.index(after: colon)...]
        var properties: [(key: String, value: String)] = []
        var wildcard = false
        for part in rest.split(separator: ",", omittingEmptySubsequences: false) {
            if part == "*" {
                guard !wildcard else { return nil }
                wildcard = true
                continue
            }
            guard let equals = part.firstIndex(of: "=") else { return nil }
            let key = String(part[..<equals])
            let value = String(part[part.index(after: equals)...])
            guard !key.isEmpty, !value.isEmpty, !properties.contains(where: { $0.key == key }) else { return nil }
            properties.append((key, value))
        }
        guard wildcard || !properties.isEmpty else { return nil }
        self.domain = domain
        self.properties = properties
        self.isPropertyListPattern = wildcard
        self.original = text
    }

    /// Builds a plain (non-pattern) name from a domain and key properties.
    public init(domain: String, properties: [(key: String, value: String)]) {
        self.domain = domain
        self.properties = properties
        self.isPropertyListPattern = false
        let list = properties.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        self.original = "\(domain):\(list)"
    }

    /// The broker MBean of ActiveMQ Classic for `brokerName`.
    public static func broker(named brokerName: String) -> MBeanName {
        MBeanName(domain: "org.apache.activemq", properties: [("type", "Broker"), ("brokerName", brokerName)])
    }

    /// The value of property `key`, if present.
    public func value(of key: String) -> String? {
        properties.first { $0.key == key }?.value
    }

    /// The canonical form: keys sorted lexicographically, a property-list wildcard last,
    /// as `ObjectName.getCanonicalName()` gives it (Jolokia echoes and keys results by it).
    public var canonical: String {
        var parts = properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if isPropertyListPattern { parts.append("*") }
        return "\(domain):\(parts.joined(separator: ","))"
    }

    /// True when this name contains any wildcard (domain, value or property list).
    public var isPattern: Bool {
        isPropertyListPattern || MBeanName.hasWildcard(domain)
            || properties.contains { MBeanName.hasWildcard($0.value) }
    }

    /// True when the plain name `other` is matched by this name used as a pattern.
    public func matches(_ other: MBeanName) -> Bool {
        guard MBeanName.glob(domain, matches: other.domain) else { return false }
        for (key, value) in properties {
            guard let candidate = other.value(of: key), MBeanName.glob(value, matches: candidate) else { return false }
        }
        return isPropertyListPattern || properties.count == other.properties.count
    }

    public static func == (lhs: MBeanName, rhs: MBeanName) -> Bool {
        lhs.canonical == rhs.canonical
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonical)
    }

    private static func hasWildcard(_ text: String) -> Bool {
        text.contains("*") || text.contains("?")
    }

    /// JMX-style glob: `*` any run of characters, `?` exactly one.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
