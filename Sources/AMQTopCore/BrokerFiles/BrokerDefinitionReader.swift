import Foundation

/// Reads the `<broker>` elements of a parsed `activemq.xml` into ``BrokerDefinition``s.
///
/// Pure: the caller parses the files (``XMLTreeParser``) and passes the instance layout, so
/// every rule here is testable on text. Where ActiveMQ's own default depends on something
/// the files do not say (the JVM's working directory), the guess is made and noted.
public struct BrokerDefinitionReader: Sendable {
    /// The file name used in messages and comments.
    public var file: String
    public var layout: InstanceLayout

    public init(file: String, layout: InstanceLayout) {
        self.file = file
        self.layout = layout
    }

    /// URI schemes of transports that speak OpenWire.
    static let openWireSchemes: Set<String> = ["tcp", "nio", "ssl", "nio+ssl", "auto", "auto+nio", "auto+ssl", "auto+nio+ssl"]
    /// Store elements that are a JDBC database with a lease lock.
    static let databaseStores: Set<String> = ["jdbcPersistenceAdapter", "journalPersistenceAdapter", "journaledJDBC", "journalPersistenceAdapterFactory"]

    /// Every broker of the document; throws ``BrokerFileError`` when there is none or a value is malformed.
    ///
    /// `jettyXML` and `jettyProperties` are the `jetty.xml` and `jetty-spring.properties`
    /// found beside the file, if any.
    public func read(_ root: XMLElementNode, jettyXML: XMLElementNode? = nil, jettyProperties: [String: String]? = nil) throws -> [BrokerDefinition] {
        let brokers = ([root] + root.descendants).filter { $0.name == "broker" }
        guard !brokers.isEmpty else {
            throw BrokerFileError(file: file, line: root.line, element: "<\(root.name)>", message: "no <broker> element: not an ActiveMQ Classic broker configuration")
        }
        var notes: [String] = []
        var jolokia = webConsole(root, jettyXML: jettyXML, jettyProperties: jettyProperties, notes: &notes)
        if let url = jolokia, let problem = HostPort.urlAuthorityProblem(url) {
            notes.append("web console at \(url): \(problem): left out")
            jolokia = nil
        }
        return try brokers.map { try definition($0, jolokia: jolokia, fileNotes: notes) }
    }

    private func definition(_ broker: XMLElementNode, jolokia: String?, fileNotes: [String]) throws -> BrokerDefinition {
        var notes = fileNotes
        let name = broker.attributes["brokerName"].map { value($0, broker, "brokerName", &notes) } ?? "localhost"
        if broker.attributes["brokerName"] == nil { notes.append("no brokerName: ActiveMQ's default, localhost") }
        var definition = BrokerDefinition(file: file, line: broker.line, brokerName: name, store: .none(reason: ""), jolokia: jolokia)
        definition.store = try store(of: broker, brokerName: name, definition: &definition, notes: &notes)
        connectors(of: broker, into: &definition, notes: &notes)
        definition.notes = notes
        return definition
    }

    // MARK: - Store and locker

    private func store(of broker: XMLElementNode, brokerName: String, definition: inout BrokerDefinition, notes: inout [String]) throws -> BrokerStore {
        if broker.attributes["persistent"].map({ value($0, broker, "persistent", &notes) })?.lowercased() == "false" {
            return .none(reason: "persistent=\"false\"")
        }
        if let reference = broker.attributes["persistenceAdapter"] {
            return .unsupported(element: "broker", reason: "the persistence adapter is a bean reference (\(reference)), which amqtop does not follow")
        }
        if let factory = broker.child(named: "persistenceFactory")?.children.first {
            return Self.databaseStores.contains(factory.name)
                ? .database(element: factory.name)
                : .unsupported(element: factory.name, reason: "a persistence factory amqtop does not know")
        }
        guard let adapter = broker.child(named: "persistenceAdapter")?.children.first else {
            // BrokerService's own default: KahaDB in dataDirectory/brokerName/KahaDB.
            let data = dataDirectory(of: broker, notes: &notes)
            notes.append("no <persistenceAdapter>: ActiveMQ's default KahaDB store in dataDirectory/brokerName/KahaDB")
            return .sharedFile(element: "kahaDB", directory: PathText.join(data, "\(brokerName)/KahaDB"))
        }
        switch adapter.name {
        case "kahaDB", "mKahaDB", "levelDB":
            try readLocker(adapter, into: &definition, notes: &notes)
            let defaultName = adapter.name == "levelDB" ? "LevelDB" : (adapter.name == "kahaDB" ? "KahaDB" : "mKahaDB")
            let directory: String
            if let text = adapter.attributes["directory"] {
                directory = path(value(text, adapter, "directory", &notes), adapter, "directory", &notes)
            } else {
                // The store's own default is relative to the JVM's working directory, which no file states.
                notes.append("<\(adapter.name)> has no directory: ActiveMQ uses \(defaultName) in the broker's working directory; assumed the instance base \(layout.base)")
                directory = PathText.join(layout.base, defaultName)
            }
            if adapter.name == "levelDB" { notes.append("<levelDB> was removed in ActiveMQ 5.17: this broker runs 5.16 or older") }
            return .sharedFile(element: adapter.name, directory: directory)
        case let element where Self.databaseStores.contains(element):
            return .database(element: element)
        case "memoryPersistenceAdapter":
            return .none(reason: "<memoryPersistenceAdapter>")
        case "replicatedLevelDB":
            return .unsupported(element: "replicatedLevelDB", reason: "a replicated LevelDB store elects its master through ZooKeeper, not a shared file")
        case let other:
            return .unsupported(element: other, reason: "a persistence adapter amqtop does not know")
        }
    }

    /// `useLock`, `lockKeepAlivePeriod` on the store and `lockAcquireSleepInterval` on its locker.
    private func readLocker(_ adapter: XMLElementNode, into definition: inout BrokerDefinition, notes: inout [String]) throws {
        if let text = adapter.attributes["useLock"] {
            definition.useLock = value(text, adapter, "useLock", &notes).lowercased() != "false"
        }
        if let text = adapter.attributes["lockKeepAlivePeriod"] {
            definition.lockKeepAlivePeriodMillis = try milliseconds(text, adapter, "lockKeepAlivePeriod", &notes)
        }
        if let text = adapter.attributes["lockAcquireSleepInterval"] {
            definition.lockAcquireSleepIntervalMillis = try milliseconds(text, adapter, "lockAcquireSleepInterval", &notes)
        }
        guard let locker = adapter.child(named: "locker")?.children.first else { return }
        if locker.name != "shared-file-locker" {
            notes.append("locker <\(locker.name)> on line \(locker.line): amqtop watches shared-file locks only")
        }
        if let text = locker.attributes["lockAcquireSleepInterval"] {
            definition.lockAcquireSleepIntervalMillis = try milliseconds(text, locker, "lockAcquireSleepInterval", &notes)
        }
    }

    private func dataDirectory(of broker: XMLElementNode, notes: inout [String]) -> String {
        guard let text = broker.attributes["dataDirectory"] else {
            notes.append("no dataDirectory: assumed ${activemq.data} (\(layout.data)), where the distribution's start script points it")
            return layout.data
        }
        return path(value(text, broker, "dataDirectory", &notes), broker, "dataDirectory", &notes)
    }

    // MARK: - Connectors and web console

    private func connectors(of broker: XMLElementNode, into definition: inout BrokerDefinition, notes: inout [String]) {
        for element in broker.child(named: "transportConnectors")?.children(named: "transportConnector") ?? [] {
            guard let uri = element.attributes["uri"].map({ value($0, element, "uri", &notes) }) else { continue }
            definition.connectors.append(.init(name: element.attributes["name"], uri: uri))
        }
        let openwire = definition.connectors.first { $0.name == "openwire" }
            ?? definition.connectors.first { Self.openWireSchemes.contains(Self.scheme($0.uri)) }
        guard let openwire, Self.openWireSchemes.contains(Self.scheme(openwire.uri)) || openwire.name == "openwire",
              let address = HostPort(parsing: openwire.uri) else { return }
        // The config amqtop writes from this must load: a host its own parser refuses
        // (`0;.0.0.0`) is named in a note and left out, never written as the broker's address.
        if let problem = HostPort.hostProblem(address.host) {
            notes.append("OpenWire URI \(openwire.uri): \(problem): left out")
            return
        }
        if ListenAddress.isWildcard(address.host) {
            notes.append("OpenWire binds \(address.host): probed on 127.0.0.1; put the broker's host name there if amqtop runs elsewhere")
        }
        definition.openwire = HostPort(host: ListenAddress.clientHost(address.host), port: address.port)
    }

    private func webConsole(_ root: XMLElementNode, jettyXML: XMLElementNode?, jettyProperties: [String: String]?, notes: inout [String]) -> String? {
        var ignored: [String] = []
        let resolve: (String) -> String = { self.value($0, root, "", &ignored) }
        if let embedded = WebConsoleEndpoint.embeddedJolokia(in: root, resolve: resolve) { return embedded }
        let importsJetty = ([root] + root.descendants).contains { $0.name == "import" && ($0.attributes["resource"] ?? "").hasSuffix("jetty.xml") }
        guard importsJetty else {
            if jettyXML != nil { notes.append("jetty.xml lies beside it but is not imported: no web console, so no Jolokia URL") }
            return nil
        }
        guard jettyXML != nil || jettyProperties != nil else {
            notes.append("imports jetty.xml, which is not beside it: Jolokia URL not known")
            return nil
        }
        return WebConsoleEndpoint.distributionJolokia(jettyXML: jettyXML, properties: jettyProperties ?? [:], resolve: resolve)
    }

    // MARK: - Values

    /// `text` with `${activemq.*}` resolved; an unresolved placeholder is noted with where it is.
    private func value(_ text: String, _ element: XMLElementNode, _ attribute: String, _ notes: inout [String]) -> String {
        let (resolved, unresolved) = PlaceholderResolver(properties: layout.properties).resolve(text)
        for name in unresolved {
            notes.append("\(file):\(element.line): <\(element.name)> \(attribute): ${\(name)} is not known here; left as written")
        }
        return resolved
    }

    /// An absolute path; a relative one is taken against the instance base, and noted.
    private func path(_ text: String, _ element: XMLElementNode, _ attribute: String, _ notes: inout [String]) -> String {
        if !text.hasPrefix("/") {
            notes.append("<\(element.name)> \(attribute) \(text) is relative to the broker's working directory: assumed the instance base \(layout.base)")
        }
        return PathText.join(layout.base, text)
    }

    private func milliseconds(_ text: String, _ element: XMLElementNode, _ attribute: String, _ notes: inout [String]) throws -> Int64 {
        let resolved = value(text, element, attribute, &notes).trimmingCharacters(in: .whitespaces)
        guard let number = Int64(resolved), number >= 0, number <= DurationParser.maximumMilliseconds else {
            throw BrokerFileError(file: file, line: element.line, element: "<\(element.name)> \(attribute)", message: "not a number of milliseconds: \(text)")
        }
        return number
    }

    static func scheme(_ uri: String) -> String {
        guard let range = uri.range(of: "://") else { return "" }
        return uri[..<range.lowerBound].lowercased()
    }
}
