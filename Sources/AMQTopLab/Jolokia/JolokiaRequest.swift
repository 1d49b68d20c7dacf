/// One Jolokia request, from a GET path or a POST body, in the subset the lab serves.
public enum JolokiaRequest: Sendable, Equatable {
    /// `version`.
    case version
    /// `read` of one MBean (or pattern): no attributes means the whole MBean.
    /// `multiple` is true when the attributes came as a list (the echo keeps it a list).
    case read(mbean: MBeanName, attributes: [String], multiple: Bool, path: [String])
    /// `search` for names matching a pattern.
    case search(mbean: MBeanName)
    /// `exec` of an operation.
    case exec(mbean: MBeanName, operation: String, arguments: [JolokiaJSON])

    /// The `request` echo Jolokia puts in every answer (JmxRequest.toJSON).
    public var echo: JolokiaJSON {
        switch self {
        case .version:
            return .object(["type": "version"])
        case .read(let mbean, let attributes, let multiple, let path):
            var members: [String: JolokiaJSON] = ["type": "read", "mbean": .string(mbean.canonical)]
            if attributes.count > 1 || (multiple && !attributes.isEmpty) {
                members["attribute"] = .array(attributes.map(JolokiaJSON.string))
            } else if let single = attributes.first {
                members["attribute"] = .string(single)
            }
            if !path.isEmpty {
                members["path"] = .string(path.joined(separator: "/"))
            }
            return .object(members)
        case .search(let mbean):
            return .object(["type": "search", "mbean": .string(mbean.canonical)])
        case .exec(let mbean, let operation, let arguments):
            var members: [String: JolokiaJSON] = [
                "type": "exec", "mbean": .string(mbean.canonical), "operation": .string(operation),
            ]
            if !arguments.isEmpty { members["arguments"] = .array(arguments) }
            return .object(members)
        }
    }

    /// Parses the part of a GET URL after `/api/jolokia` (e.g. `/read/MBEAN/Attr`).
    /// `!` escapes the next character, so `!/` is a slash inside an element.
    public static func parse(getPath: String) -> Result<JolokiaRequest, JolokiaError> {
        var elements = splitEscaped(removingPercentEncoding(getPath))
        guard !elements.isEmpty else { return .success(.version) }
        let type = elements.removeFirst()
        switch type.lowercased() {
        case "version":
            return .success(.version)
        case "read":
            guard !elements.isEmpty else { return .failure(.illegalArgument("No MBean name given")) }
            return objectName(elements.removeFirst()).map { mbean in
                let attributes = elements.isEmpty ? [] : splitAttributes(elements.removeFirst())
                return .read(mbean: mbean, attributes: attributes, multiple: attributes.count > 1, path: elements)
            }
        case "search":
            guard !elements.isEmpty else { return .failure(.illegalArgument("No MBean name given")) }
            return objectName(elements.removeFirst()).map { .search(mbean: $0) }
        case "exec":
            guard elements.count >= 2 else { return .failure(.illegalArgument("No MBean name or operation given")) }
            let name = elements.removeFirst()
            let operation = elements.removeFirst()
            return objectName(name).map { .exec(mbean: $0, operation: operation, arguments: elements.map(JolokiaJSON.string)) }
        case "list", "write", "notification":
            return .failure(.illegalArgument("Request type '\(type)' is not served by the amqtop lab"))
        default:
            return .failure(.illegalArgument("Invalid request type '\(type)'"))
        }
    }

    /// Parses one POSTed request object.
    public static func parse(json: JolokiaJSON) -> Result<JolokiaRequest, JolokiaError> {
        guard let members = json.objectValue else {
            return .failure(.illegalArgument("Invalid JSON request: not an object"))
        }
        guard let type = members["type"]?.stringValue else {
            return .failure(.illegalArgument("No type given"))
        }
        switch type.lowercased() {
        case "version":
            return .success(.version)
        case "read":
            return mbean(in: members).map { mbean in
                var attributes: [String] = []
                var multiple = false
                switch members["attribute"] {
                case .string(let name)?:
                    attributes = splitAttributes(name)
                    multiple = attributes.count > 1
                case .array(let names)?:
                    attributes = names.compactMap(\.stringValue)
                    multiple = true
                default:
                    break
                }
                let path = members["path"]?.stringValue.map { splitEscaped($0) } ?? []
                return .read(mbean: mbean, attributes: attributes, multiple: multiple, path: path)
            }
        case "search":
            return mbean(in: members).map { .search(mbean: $0) }
        case "exec":
            guard let operation = members["operation"]?.stringValue else {
                return .failure(.illegalArgument("No operation given"))
            }
            let arguments = members["arguments"]?.arrayValue ?? []
            return mbean(in: members).map { .exec(mbean: $0, operation: operation, arguments: arguments) }
        case "list", "write", "notification":
            return .failure(.illegalArgument("Request type '\(type)' is not served by the amqtop lab"))
        default:
            return .failure(.illegalArgument("Invalid request type '\(type)'"))
        }
    }

    private static func mbean(in members: [String: JolokiaJSON]) -> Result<MBeanName, JolokiaError> {
        guard let name = members["mbean"]?.stringValue else {
            return .failure(.illegalArgument("Objectname can not be null"))
        }
        return objectName(name)
    }

    private static func objectName(_ text: String) -> Result<MBeanName, JolokiaError> {
        guard let name = MBeanName(text) else {
            return .failure(.malformedObjectName("Invalid ObjectName: \(text)"))
        }
        return .success(name)
    }

    /// Jolokia reads `A,B` in a GET path as two attributes.
    private static func splitAttributes(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }

    /// Splits on `/`, honouring Jolokia's `!` escape and dropping empty leading/trailing parts.
    static func splitEscaped(_ path: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for character in path {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "!" {
                escaping = true
            } else if character == "/" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        while parts.first == "" { parts.removeFirst() }
        while parts.last == "" { parts.removeLast() }
        return parts
    }

    private static func removingPercentEncoding(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
