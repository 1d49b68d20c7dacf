/// Builds Jolokia 1.7 answers for a set of broker MBeans: pure, so the lab's HTTP server and a
/// conformance test call the same code (`answer(getPath:)`, `answer(postBody:)`).
///
/// Parses requests and builds answers with its own types (`JolokiaRequest`, `JolokiaJSON`),
/// not the probes' `JolokiaRequests`/`JolokiaResponseParser`, on purpose: an independent fake,
/// checked against real ActiveMQ by `LabConformanceTests`, is what makes the lab a test of
/// the probes rather than a mirror of them.
public struct JolokiaResponder: Sendable {
    /// What the caller should do after sending an answer.
    public enum Action: Sendable, Equatable {
        /// An `exec stop` succeeded on this broker: stop it once the answer is out.
        case stopBroker(String)
    }

    /// An answer body and the actions it asks for.
    public struct Reply: Sendable, Equatable {
        /// The JSON body (an object, or an array for a bulk request).
        public var body: JolokiaJSON
        /// Side effects to carry out after replying.
        public var actions: [Action]
    }

    /// The broker MBeans registered in this "JVM".
    public var brokers: [BrokerMBeanSnapshot]
    /// Seconds since the epoch for the `timestamp` field (Jolokia uses seconds, not ms).
    public var timestampSeconds: Int64
    /// The Jolokia agent version reported by `version`.
    public var agentVersion: String

    /// Creates a responder for `brokers` at `timestampSeconds`.
    public init(brokers: [BrokerMBeanSnapshot], timestampSeconds: Int64, agentVersion: String = "1.7.1") {
        self.brokers = brokers
        self.timestampSeconds = timestampSeconds
        self.agentVersion = agentVersion
    }

    /// Answers a GET on `/api/jolokia` + `path` (the part after the servlet path).
    public func answer(getPath path: String) -> Reply {
        switch JolokiaRequest.parse(getPath: path) {
        case .success(let request): return answer(request)
        case .failure(let error): return Reply(body: errorBody(error, request: nil), actions: [])
        }
    }

    /// Answers a POST body: one request object, or an array of them answered one by one.
    public func answer(postBody text: String) -> Reply {
        guard let json = JolokiaJSON.parse(text) else {
            return Reply(body: errorBody(.illegalArgument("Invalid JSON request \(text)"), request: nil), actions: [])
        }
        if case .array(let requests) = json {
            var bodies: [JolokiaJSON] = []
            var actions: [Action] = []
            for element in requests {
                let reply = answer(postElement: element)
                bodies.append(reply.body)
                actions += reply.actions
            }
            return Reply(body: .array(bodies), actions: actions)
        }
        return answer(postElement: json)
    }

    private func answer(postElement element: JolokiaJSON) -> Reply {
        // Jolokia's processing parameter: `"config": {"includeStackTrace": "false"}` (or false)
        // drops the `stacktrace` member of an error answer.
        let option = element.objectValue?["config"]?.objectValue?["includeStackTrace"]
        let includeStackTrace = !(option == .string("false") || option == .bool(false))
        switch JolokiaRequest.parse(json: element) {
        case .success(let request): return answer(request, includeStackTrace: includeStackTrace)
        case .failure(let error): return Reply(body: errorBody(error, request: nil, includeStackTrace: includeStackTrace), actions: [])
        }
    }

    /// Answers one parsed request; `includeStackTrace` false leaves the stack trace out of an error.
    public func answer(_ request: JolokiaRequest, includeStackTrace: Bool = true) -> Reply {
        switch execute(request) {
        case .success(let (value, actions)):
            let body: JolokiaJSON = .object([
                "request": request.echo, "value": value, "timestamp": .int(timestampSeconds), "status": 200,
            ])
            return Reply(body: body, actions: actions)
        case .failure(let error):
            return Reply(body: errorBody(error, request: request, includeStackTrace: includeStackTrace), actions: [])
        }
    }

    /// Jolokia's error body: no `value`, no `timestamp`; the request echo when it was parsed.
    public func errorBody(_ error: JolokiaError, request: JolokiaRequest?, includeStackTrace: Bool = true) -> JolokiaJSON {
        var members: [String: JolokiaJSON] = [
            "status": .int(error.status),
            "error": .string(error.errorText),
            "error_type": .string(error.errorType),
        ]
        if includeStackTrace { members["stacktrace"] = .string(error.stacktrace) }
        if let request { members["request"] = request.echo }
        return .object(members)
    }

    private func execute(_ request: JolokiaRequest) -> Result<(JolokiaJSON, [Action]), JolokiaError> {
        switch request {
        case .version:
            return .success((versionValue, []))
        case .search(let pattern):
            let names = brokers.map(\.mbeanName).filter { pattern.matches($0) }.map { JolokiaJSON.string($0.canonical) }
            return .success((.array(names), []))
        case .read(let mbean, let attributes, let multiple, let path):
            return read(mbean: mbean, attributes: attributes, multiple: multiple, path: path).map { ($0, []) }
        case .exec(let mbean, let operation, let arguments):
            return exec(mbean: mbean, operation: operation, arguments: arguments)
        }
    }

    /// The `version` value of Jolokia 1.7.1's AgentServlet inside ActiveMQ 5.17.2: the config keys
    /// and values it reports with its defaults, and the server info its ActiveMQ detector finds.
    private var versionValue: JolokiaJSON {
        .object([
            "agent": .string(agentVersion),
            "protocol": "7.2",
            "config": .object([
                "agentContext": "/jolokia",
                "agentId": "amqtop-lab-servlet",
                "agentType": "servlet",
                "allowDnsReverseLookup": "true",
                "allowErrorDetails": "true",
                "authIgnoreCerts": "false",
                "authMatch": "any",
                "authMode": "basic",
                "canonicalNaming": "true",
                "debug": "false",
                "debugMaxEntries": "100",
                "dispatcherClasses": "org.jolokia.http.Jsr160ProxyNotEnabledByDefaultAnymoreDispatcher",
                "historyMaxEntries": "10",
                "includeStackTrace": "true",
                "listenForHttpService": "true",
                "mimeType": "text/plain",
                "multicastGroup": "239.192.48.84",
                "multicastPort": "24884",
                "policyLocation": "classpath:/jolokia-access.xml",
                "realm": "jolokia",
                "serializeException": "false",
                "streaming": "true",
                "useRestrictorService": "false",
            ]),
            "info": .object([
                "product": "activemq", "vendor": "Apache", "version": .string(brokers.first?.brokerVersion ?? "lab"),
            ]),
        ])
    }

    private func broker(named name: MBeanName) -> BrokerMBeanSnapshot? {
        brokers.first { $0.mbeanName == name }
    }

    private func read(mbean: MBeanName, attributes: [String], multiple: Bool, path: [String])
        -> Result<JolokiaJSON, JolokiaError>
    {
        if mbean.isPattern {
            return readPattern(mbean, attributes: attributes)
        }
        guard let broker = broker(named: mbean) else {
            return .failure(.instanceNotFound(mbean.original))
        }
        if attributes.isEmpty {
            return readAll(broker)
        }
        if attributes.count == 1, !multiple {
            return broker.read(attribute: attributes[0]).flatMap { descend($0, path: path) }
        }
        var values: [String: JolokiaJSON] = [:]
        for attribute in attributes {
            switch broker.read(attribute: attribute) {
            case .success(let value): values[attribute] = value
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.object(values))
    }

    /// A whole-MBean read fails as soon as one attribute does, as Jolokia does without ignoreErrors.
    private func readAll(_ broker: BrokerMBeanSnapshot) -> Result<JolokiaJSON, JolokiaError> {
        var values: [String: JolokiaJSON] = [:]
        for attribute in BrokerMBeanSnapshot.attributeNames {
            switch broker.read(attribute: attribute) {
            case .success(let value): values[attribute] = value
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.object(values))
    }

    /// A pattern read answers `{canonicalName: {attribute: value}}`; MBeans lacking the attribute are skipped.
    private func readPattern(_ pattern: MBeanName, attributes: [String]) -> Result<JolokiaJSON, JolokiaError> {
        let matching = brokers.filter { pattern.matches($0.mbeanName) }
        guard !matching.isEmpty else {
            return .failure(
                JolokiaError(
                    errorType: "javax.management.InstanceNotFoundException",
                    message: "No MBean with pattern \(pattern.canonical) found for reading attributes",
                    status: 404
                )
            )
        }
        var result: [String: JolokiaJSON] = [:]
        for broker in matching {
            if attributes.isEmpty {
                switch readAll(broker) {
                case .success(let value): result[broker.mbeanName.canonical] = value
                case .failure(let error): return .failure(error)
                }
                continue
            }
            var values: [String: JolokiaJSON] = [:]
            for attribute in attributes where BrokerMBeanSnapshot.attributeNames.contains(attribute) {
                switch broker.read(attribute: attribute) {
                case .success(let value): values[attribute] = value
                case .failure(let error): return .failure(error)
                }
            }
            if !values.isEmpty { result[broker.mbeanName.canonical] = .object(values) }
        }
        guard !result.isEmpty else {
            let names = matching.map(\.mbeanName.canonical).joined(separator: ", ")
            return .failure(
                .illegalArgument("No matching attributes [\(attributes.joined(separator: ", "))] found on MBeans [\(names)]")
            )
        }
        return .success(.object(result))
    }

    /// Follows an inner path (`TransportConnectors/openwire`) into a value.
    private func descend(_ value: JolokiaJSON, path: [String]) -> Result<JolokiaJSON, JolokiaError> {
        var current = value
        for key in path {
            switch current {
            case .object(let members):
                guard let next = members[key] else {
                    return .failure(.illegalArgument("Map key '\(key)' is unknown"))
                }
                current = next
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index) else {
                    return .failure(.illegalArgument("Index '\(key)' is out of range"))
                }
                current = elements[index]
            default:
                return .failure(.illegalArgument("Cannot follow path '\(path.joined(separator: "/"))' into a simple value"))
            }
        }
        return .success(current)
    }

    private func exec(mbean: MBeanName, operation: String, arguments: [JolokiaJSON])
        -> Result<(JolokiaJSON, [Action]), JolokiaError>
    {
        guard !mbean.isPattern else {
            return .failure(.illegalArgument("Cannot execute operation on a pattern MBean name \(mbean.canonical)"))
        }
        guard let broker = broker(named: mbean) else {
            return .failure(.instanceNotFound(mbean.original))
        }
        let name = operation.split(separator: "(").first.map(String.init) ?? operation
        switch name {
        case "stop", "stopGracefully":
            return .success((.null, [.stopBroker(broker.brokerName)]))
        default:
            return .failure(.illegalArgument("No operation \(operation) found on MBean \(mbean.canonical)"))
        }
    }
}
