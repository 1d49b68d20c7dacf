/// Replaces Spring's `${name}` and `${name:default}` placeholders from a table of properties.
///
/// What it cannot resolve it leaves in place and lists, so the caller can say which
/// property to give rather than invent a path.
public struct PlaceholderResolver: Sendable {
    public var properties: [String: String]

    public init(properties: [String: String]) {
        self.properties = properties
    }

    /// The text with every known placeholder replaced, and the names left unresolved.
    public func resolve(_ text: String) -> (value: String, unresolved: [String]) {
        var result = ""
        var unresolved: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                rest = ""
                break
            }
            let inside = afterOpen[..<close]
            let name: Substring
            let fallback: Substring?
            if let colon = inside.firstIndex(of: ":") {
                name = inside[..<colon]
                fallback = inside[inside.index(after: colon)...]
            } else {
                name = inside
                fallback = nil
            }
            if let value = properties[String(name)] {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                result += "${\(inside)}"
                unresolved.append(String(name))
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        return (result, unresolved)
    }
}
