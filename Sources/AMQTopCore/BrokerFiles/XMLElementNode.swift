/// One element of an XML document: its local name, attributes, children and line.
///
/// Namespace prefixes are dropped (`amq:broker` is `broker`): ActiveMQ files use the core
/// namespace both as a default and under a prefix, and no two elements we read collide.
public struct XMLElementNode: Equatable, Sendable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElementNode]
    /// The line the element starts on, for messages.
    public var line: Int

    public init(name: String, attributes: [String: String] = [:], children: [XMLElementNode] = [], line: Int) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.line = line
    }

    /// Direct children called `name`.
    public func children(named name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The first direct child called `name`.
    public func child(named name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Every element below this one (depth first, document order), this one excluded.
    public var descendants: [XMLElementNode] {
        children.flatMap { [$0] + $0.descendants }
    }

    /// The `value` of `<property name="NAME" value="..."/>` among the direct children.
    public func springProperty(_ name: String) -> XMLElementNode? {
        children(named: "property").first { $0.attributes["name"] == name }
    }
}
