import Foundation
import Yams

/// Turns YAML configuration text into an `AppConfig`, checking every key and value.
///
/// Unknown keys are errors (a typo like `lockKeepAlive` would otherwise silently leave
/// keep-alive "unknown"), and every error names the line and the key path.
public struct ConfigParser {
    /// The file name used in messages.
    public var fileName: String
    /// The environment, for `passwordEnv:` (injected so tests need not set variables).
    public var environment: [String: String]
    /// Checks a password file; returns an error message or nil. Injected for tests.
    public var checkPasswordFile: @Sendable (String) -> String?
    /// The directory relative paths in the file are resolved against.
    public var baseDirectory: String?
    /// Checks a `ca:` file; returns an error message or nil. Replaceable for tests.
    public var checkCAFile: @Sendable (String) -> String? = CAFileCheck.problem(atPath:)

    public init(
        fileName: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        baseDirectory: String? = nil,
        checkPasswordFile: @escaping @Sendable (String) -> String? = PasswordFileCheck.problem(atPath:)
    ) {
        self.fileName = fileName
        self.environment = environment
        self.baseDirectory = baseDirectory
        self.checkPasswordFile = checkPasswordFile
    }

    static let topKeys: Set<String> = [
        "poll", "lockPoll", "timeout", "theme", "history", "readOnly", "groups", "sshConfig", "hosts",
    ]
    static let hostKeys: Set<String> = ["name", "ssh"]
    static let groupKeys: Set<String> = [
        "name", "lockFile", "lockKeepAlivePeriod", "lockAcquireSleepInterval", "startTime", "nfsLease", "brokers",
    ]
    static let brokerKeys: Set<String> = [
        "name", "jolokia", "brokerName", "username", "password", "passwordEnv", "passwordFile", "ca", "insecure",
        "openwire", "pidFile", "stop", "stopCommand", "host", "brokerLog", "brokerXml",
    ]

    /// The most brokers a configuration may list, over all groups: one dashboard or one
    /// serve watching more is a generated file gone wrong, and each costs probes every round.
    public static let maxBrokers = 2000

    /// Parses the text; throws `ConfigError` at the first mistake.
    public func parse(_ text: String) throws -> AppConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error)
        } catch {
            throw ConfigError(file: fileName, line: nil, key: nil, message: "not valid YAML: \(error)")
        }
        var config = AppConfig()
        guard let root else { return config }
        let top = try mapping(root, key: nil)
        try checkKeys(top, allowed: Self.topKeys, path: nil)
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "poll": config.pollMillis = try duration(value, key: key, positive: true)
            case "lockPoll": config.lockPollMillis = try duration(value, key: key, positive: true)
            case "timeout": config.timeoutMillis = try duration(value, key: key, positive: true)
            case "theme": config.theme = try string(value, key: key)
            case "history": config.historyPath = resolve(try string(value, key: key))
            case "readOnly": config.readOnly = try bool(value, key: key)
            case "groups": config.groups = try groups(value)
            case "sshConfig": config.sshConfig = resolve(try filePath(value, key: key))
            case "hosts": config.hosts = try hosts(value)
            default: break
            }
        }
        try checkHostReferences(config)
        try checkHistoryIsNoLockFile(config)
        return config
    }

    private func hosts(_ node: Node) throws -> [HostConfig] {
        guard case .sequence(let sequence) = node else {
            throw error(node, "hosts", "must be a list of hosts (each `- name: amq1` with `ssh: user@amq1.example.com`)")
        }
        var result: [HostConfig] = []
        var seen: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let fields = try mapping(item, key: "hosts[\(index)]")
            let name = try requiredName(fields, node: item, path: "hosts[\(index)]")
            let path = "hosts[\(name)]"
            try checkKeys(fields, allowed: Self.hostKeys, path: path)
            if let first = seen[name] {
                throw error(item, "\(path).name", "duplicate host name (first defined on line \(first))")
            }
            guard let sshNode = fields.first(where: { $0.0.string == "ssh" })?.1 else {
                throw error(item, "\(path).ssh", "missing: the ssh destination, e.g. amq@amq1.example.com or an alias from the ssh config")
            }
            let destination = try string(sshNode, key: "\(path).ssh")
            // ssh reads a leading `-` as an option (`-oProxyCommand=...` would run a command
            // here), and a destination never contains blanks or control characters.
            guard !destination.isEmpty, !destination.hasPrefix("-"),
                  !destination.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f }) else {
                throw error(sshNode, "\(path).ssh", "not an ssh destination: it must be one word (user@host or an alias) not starting with -")
            }
            seen[name] = item.mark?.line ?? 0
            result.append(HostConfig(name: name, ssh: destination, line: item.mark?.line))
        }
        return result
    }

    /// `history:` must not be a group's lock file, by path or by inode: the history is an SQLite
    /// file amqtop writes, locks and, when it is unreadable, renames aside. Any of those on a
    /// broker's lock file would change what a keep-alive master checks.
    private func checkHistoryIsNoLockFile(_ config: AppConfig) throws {
        guard let history = config.historyPath else { return }
        var historyStat = stat()
        let historyExists = stat(history, &historyStat) == 0
        for group in config.groups where group.hostNames.isEmpty {
            guard let lockFile = group.lockFile else { continue }
            var lockStat = stat()
            let samePath = (history as NSString).standardizingPath == (lockFile as NSString).standardizingPath
            let sameFile = historyExists && stat(lockFile, &lockStat) == 0
                && lockStat.st_dev == historyStat.st_dev && lockStat.st_ino == historyStat.st_ino
            if samePath || sameFile {
                throw ConfigError(
                    file: fileName, line: nil, key: "history",
                    message: "is group \(group.name)'s lock file \(lockFile): amqtop never writes a broker's lock file; choose another path")
            }
        }
    }

    /// Every broker's `host:` must name a configured host, and a path read on a host must be
    /// absolute: this machine's directory and `~` mean nothing there.
    private func checkHostReferences(_ config: AppConfig) throws {
        let names = Set(config.hosts.map(\.name))
        for group in config.groups {
            for broker in group.brokers {
                guard let host = broker.host else { continue }
                let path = "groups[\(group.name)].brokers[\(broker.name)]"
                guard names.contains(host) else {
                    let known = config.hosts.isEmpty ? "no hosts: list is configured" : "known: " + config.hosts.map(\.name).joined(separator: ", ")
                    throw ConfigError(file: fileName, line: broker.line, key: "\(path).host", message: "unknown host \(host) (\(known))")
                }
                if let pidFile = broker.pidFile, !pidFile.hasPrefix("/") {
                    throw ConfigError(
                        file: fileName, line: broker.line, key: "\(path).pidFile",
                        message: "must be an absolute path as host \(host) sees it")
                }
            }
            if !group.hostNames.isEmpty, let lockFile = group.lockFile, !lockFile.hasPrefix("/") {
                throw ConfigError(
                    file: fileName, line: group.line, key: "groups[\(group.name)].lockFile",
                    message: "must be an absolute path as the brokers' hosts see it")
            }
        }
    }

    private func groups(_ node: Node) throws -> [GroupConfig] {
        guard case .sequence(let sequence) = node else {
            throw error(node, "groups", "must be a list of groups (each starting with `- name:`)")
        }
        var result: [GroupConfig] = []
        var seen: [String: Int] = [:]
        var brokers = 0
        for (index, item) in sequence.enumerated() {
            let group = try self.group(item, index: index)
            brokers += group.brokers.count
            if brokers > Self.maxBrokers {
                throw error(item, "groups[\(group.name)].brokers", "more than \(Self.maxBrokers) brokers in all: amqtop watches at most \(Self.maxBrokers) (split the file and run one amqtop per part)")
            }
            if let first = seen[group.name] {
                throw error(item, "groups[\(group.name)].name", "duplicate group name (first defined on line \(first))")
            }
            seen[group.name] = group.line ?? 0
            result.append(group)
        }
        return result
    }

    private func group(_ node: Node, index: Int) throws -> GroupConfig {
        let fields = try mapping(node, key: "groups[\(index)]")
        let name = try requiredName(fields, node: node, path: "groups[\(index)]")
        let path = "groups[\(name)]"
        try checkKeys(fields, allowed: Self.groupKeys, path: path)
        var group = GroupConfig(name: name, line: node.mark?.line)
        var brokersNode: Node?
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            let keyPath = "\(path).\(key)"
            switch key {
            case "lockFile": group.lockFile = try filePath(value, key: keyPath)
            case "lockKeepAlivePeriod": group.lockKeepAlivePeriodMillis = try duration(value, key: keyPath, positive: false)
            case "lockAcquireSleepInterval": group.lockAcquireSleepIntervalMillis = try duration(value, key: keyPath, positive: true)
            case "startTime": group.startTimeMillis = try duration(value, key: keyPath, positive: false)
            case "nfsLease": group.nfsLeaseMillis = try duration(value, key: keyPath, positive: true)
            case "brokers": brokersNode = value
            default: break
            }
        }
        guard let brokersNode else {
            throw error(node, "\(path).brokers", "missing: a group needs at least one broker")
        }
        guard case .sequence(let sequence) = brokersNode, !sequence.isEmpty else {
            throw error(brokersNode, "\(path).brokers", "must be a non-empty list of brokers")
        }
        var seen: Set<String> = []
        for (index, item) in sequence.enumerated() {
            let broker = try self.broker(item, index: index, groupPath: path)
            if !seen.insert(broker.name).inserted {
                throw error(item, "\(path).brokers[\(broker.name)].name", "duplicate broker name in this group")
            }
            group.brokers.append(broker)
        }
        // A lock file read on the brokers' hosts is their path, not one relative to this config file.
        if group.hostNames.isEmpty { group.lockFile = group.lockFile.map(resolve) }
        return group
    }

    private func broker(_ node: Node, index: Int, groupPath: String) throws -> BrokerConfig {
        let fields = try mapping(node, key: "\(groupPath).brokers[\(index)]")
        let name = try requiredName(fields, node: node, path: "\(groupPath).brokers[\(index)]")
        let path = "\(groupPath).brokers[\(name)]"
        try checkKeys(fields, allowed: Self.brokerKeys, path: path)
        var broker = BrokerConfig(name: name, line: node.mark?.line)
        var stopName: (String, Node)?
        var stopCommand: [String]?
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            let keyPath = "\(path).\(key)"
            switch key {
            case "jolokia":
                let url = try string(value, key: keyPath)
                guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                      scheme == "http" || scheme == "https", parsed.host?.isEmpty == false else {
                    throw error(value, keyPath, "not an http(s) URL: \(url) (expected e.g. http://broker1:8161/api/jolokia)")
                }
                if parsed.user != nil || parsed.password != nil {
                    throw error(value, keyPath, "credentials in the URL are not allowed: use username and passwordEnv or passwordFile")
                }
                if let problem = HostPort.urlAuthorityProblem(url) {
                    throw error(value, keyPath, "\(problem) in \(url)")
                }
                broker.jolokia = url
            case "brokerName": broker.mbeanBrokerName = try string(value, key: keyPath)
            case "username": broker.username = try string(value, key: keyPath)
            case "password":
                throw error(value, keyPath, "a password in the config file is not allowed: use passwordEnv (a variable's name) or passwordFile (a file only its owner can read)")
            case "passwordEnv":
                let variable = try string(value, key: keyPath)
                guard environment[variable] != nil else {
                    throw error(value, keyPath, "environment variable \(variable) is not set")
                }
                broker.password = .environment(variable)
            case "passwordFile":
                let file = resolve(try string(value, key: keyPath))
                if let problem = checkPasswordFile(file) { throw error(value, keyPath, problem) }
                broker.password = .file(file)
            case "ca":
                let file = resolve(try filePath(value, key: keyPath))
                if let problem = checkCAFile(file) { throw error(value, keyPath, problem) }
                broker.caFile = file
            case "insecure": broker.insecure = try bool(value, key: keyPath)
            case "openwire":
                let text = try string(value, key: keyPath)
                guard let hostPort = HostPort(parsing: text) else {
                    throw error(value, keyPath, "not a transport address: \(text) (expected tcp://host:port, port 1-65535)")
                }
                if let problem = HostPort.hostProblem(hostPort.host) {
                    throw error(value, keyPath, "\(problem) in \(text)")
                }
                broker.openwire = hostPort
            case "pidFile": broker.pidFile = try filePath(value, key: keyPath)
            case "brokerLog": broker.brokerLog = try filePath(value, key: keyPath)
            case "brokerXml": broker.brokerXml = try filePath(value, key: keyPath)
            case "host": broker.host = try string(value, key: keyPath)
            case "stop": stopName = (try string(value, key: keyPath), value)
            case "stopCommand":
                guard case .sequence(let items) = value, !items.isEmpty else {
                    throw error(value, keyPath, "must be a non-empty list of arguments, e.g. [ssh, host1, sudo, systemctl, stop, activemq]")
                }
                stopCommand = try items.map { try string($0, key: keyPath) }
                if stopCommand?.contains(where: { $0.contains("\u{0}") }) == true {
                    throw error(value, keyPath, "an argument contains a NUL character")
                }
            default: break
            }
        }
        // A pid file on another host is that host's path; only a local one is relative to this file.
        if broker.host == nil {
            broker.pidFile = broker.pidFile.map(resolve)
            broker.brokerLog = broker.brokerLog.map(resolve)
            broker.brokerXml = broker.brokerXml.map(resolve)
        }
        if broker.password != nil, broker.username == nil {
            throw error(node, "\(path).username", "missing: a password is set but no username")
        }
        switch stopName?.0 {
        case nil, "jolokia":
            broker.stop = .jolokia
            if stopCommand != nil, stopName == nil { broker.stop = .command(stopCommand ?? []) }
        case "signal":
            guard broker.pidFile != nil else { throw error(stopName?.1 ?? node, "\(path).stop", "signal needs pidFile") }
            broker.stop = .signal
        case "command":
            guard let stopCommand else { throw error(stopName?.1 ?? node, "\(path).stopCommand", "missing: stop: command needs stopCommand") }
            broker.stop = .command(stopCommand)
        case let other?:
            throw error(stopName?.1 ?? node, "\(path).stop", "unknown method \(other) (expected jolokia, signal or command)")
        }
        if broker.stop == .jolokia, broker.jolokia == nil, stopName != nil {
            throw error(stopName?.1 ?? node, "\(path).stop", "jolokia needs a jolokia URL")
        }
        return broker
    }

    // MARK: - Node helpers

    private func mapping(_ node: Node, key: String?) throws -> [(Node, Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(node, key, "must be a mapping of key: value")
        }
        return mapping.map { ($0.key, $0.value) }
    }

    private func checkKeys(_ fields: [(Node, Node)], allowed: Set<String>, path: String?) throws {
        var seen: Set<String> = []
        for (keyNode, _) in fields {
            let key = keyNode.string ?? ""
            let keyPath = path.map { "\($0).\(key)" } ?? key
            guard allowed.contains(key) else {
                let near = allowed.sorted().first { $0.lowercased() == key.lowercased() || $0.hasPrefix(key) || key.hasPrefix($0) }
                throw error(keyNode, keyPath, "unknown key" + (near.map { " (did you mean \($0)?)" } ?? ""))
            }
            guard seen.insert(key).inserted else { throw error(keyNode, keyPath, "key given twice") }
        }
    }

    private func requiredName(_ fields: [(Node, Node)], node: Node, path: String) throws -> String {
        guard let value = fields.first(where: { $0.0.string == "name" })?.1 else {
            throw error(node, "\(path).name", "missing")
        }
        let name = try string(value, key: "\(path).name")
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw error(value, "\(path).name", "must be a non-empty word without spaces")
        }
        return name
    }

    private func string(_ node: Node, key: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, key, "must be a single value, not a list or mapping") }
        return scalar.string
    }

    /// A file path: NUL and line breaks are refused, since no file system path a broker uses
    /// has them and a newline would split a remote command's output lines.
    private func filePath(_ node: Node, key: String) throws -> String {
        let text = try string(node, key: key)
        guard !text.isEmpty else { throw error(node, key, "must not be empty") }
        guard !text.unicodeScalars.contains(where: { $0.value == 0 || $0 == "\n" || $0 == "\r" }) else {
            throw error(node, key, "a path must not contain a NUL character or a line break")
        }
        return text
    }

    private func bool(_ node: Node, key: String) throws -> Bool {
        switch try string(node, key: key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error(node, key, "must be true or false, not \(other)")
        }
    }

    private func duration(_ node: Node, key: String, positive: Bool) throws -> Int64 {
        let text = try string(node, key: key)
        guard let millis = DurationParser.milliseconds(text) else {
            throw error(node, key, DurationParser.problem(text) ?? "not a duration: \(text)")
        }
        if positive, millis == 0 { throw error(node, key, "must be greater than 0") }
        return millis
    }

    private func resolve(_ path: String) -> String {
        var expanded = path
        if expanded.hasPrefix("~/"), let home = environment["HOME"] { expanded = home + expanded.dropFirst(1) }
        guard !expanded.hasPrefix("/"), let base = baseDirectory else { return expanded }
        return (base as NSString).appendingPathComponent(expanded)
    }

    private func error(_ node: Node?, _ key: String?, _ message: String) -> ConfigError {
        ConfigError(file: fileName, line: node?.mark?.line, key: key, message: message)
    }

    private func yamlError(_ error: YamlError) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigError(file: fileName, line: mark.line, key: nil, message: "not valid YAML: \(detail)")
        default:
            return ConfigError(file: fileName, line: nil, key: nil, message: "not valid YAML: \(error)")
        }
    }
}
