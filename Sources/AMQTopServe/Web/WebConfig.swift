import AMQTopCore
import Foundation
import Yams

/// The `--web.config.file` of `amqtop serve`: TLS and basic auth, in the shape of Prometheus exporters' web config.
///
/// The keys are exporter-toolkit's (`tls_server_config: {cert_file, key_file}`,
/// `basic_auth_users: {USER: BCRYPT-HASH}`), so a file written for node_exporter works
/// here. Keys amqtop does not implement (client certificates, cipher lists, HTTP headers)
/// are refused by name rather than ignored: a security setting that silently does nothing
/// is worse than a clear error. Relative paths are read from the file's own directory, as
/// exporter-toolkit does.
public struct WebConfig: Equatable, Sendable {
    /// The server certificate (PEM, chain allowed) and its private key (PEM).
    public struct TLS: Equatable, Sendable {
        public var certFile: String
        public var keyFile: String
    }

    public var tls: TLS?
    /// User name to bcrypt hash (`$2y$`, `$2b$` or `$2a$`). Empty: no authentication.
    public var users: [String: String]

    public init(tls: TLS? = nil, users: [String: String] = [:]) {
        self.tls = tls
        self.users = users
    }

    static let topKeys: Set<String> = ["tls_server_config", "basic_auth_users"]
    static let tlsKeys: Set<String> = ["cert_file", "key_file"]

    /// Reads and parses `path`; throws `ConfigError` naming the file, line and key.
    public static func load(path: String) throws -> WebConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the web config: \((error as NSError).localizedDescription)")
        }
        return try parse(text, file: path, directory: (path as NSString).deletingLastPathComponent)
    }

    /// Parses the text of a web config file named `file` (for messages); relative paths are taken from `directory`.
    public static func parse(_ text: String, file: String, directory: String) throws -> WebConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, line: nil, key: nil, message: "not valid YAML")
        }
        var config = WebConfig()
        guard let root else { return config }
        let top = try mapping(root, key: nil, file: file)
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "tls_server_config":
                config.tls = try tls(value, file: file, directory: directory)
            case "basic_auth_users":
                config.users = try users(value, file: file)
            default:
                throw ConfigError(file: file, line: keyNode.mark?.line, key: key, message: unsupported(key, known: topKeys))
            }
        }
        return config
    }

    private static func tls(_ node: Node, file: String, directory: String) throws -> TLS {
        let fields = try mapping(node, key: "tls_server_config", file: file)
        var values: [String: String] = [:]
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            guard tlsKeys.contains(key) else {
                throw ConfigError(file: file, line: keyNode.mark?.line, key: "tls_server_config.\(key)", message: unsupported(key, known: tlsKeys))
            }
            guard let text = value.string, !text.isEmpty else {
                throw ConfigError(file: file, line: value.mark?.line ?? keyNode.mark?.line, key: "tls_server_config.\(key)", message: "must be a file path")
            }
            values[key] = text.hasPrefix("/") ? text : (directory as NSString).appendingPathComponent(text)
        }
        for key in ["cert_file", "key_file"] where values[key] == nil {
            throw ConfigError(file: file, line: node.mark?.line, key: "tls_server_config.\(key)", message: "missing: TLS needs both cert_file and key_file")
        }
        return TLS(certFile: values["cert_file"]!, keyFile: values["key_file"]!)
    }

    private static func users(_ node: Node, file: String) throws -> [String: String] {
        let fields = try mapping(node, key: "basic_auth_users", file: file)
        var users: [String: String] = [:]
        for (keyNode, value) in fields {
            guard let user = keyNode.string, !user.isEmpty, !user.contains(":") else {
                throw ConfigError(file: file, line: keyNode.mark?.line, key: "basic_auth_users", message: "a user name must be a non-empty string without ':'")
            }
            // The value is never quoted back: a plain password pasted here by mistake must not reach a log.
            guard let hash = value.string, BcryptHash.isWellFormed(hash) else {
                throw ConfigError(
                    file: file, line: value.mark?.line ?? keyNode.mark?.line, key: "basic_auth_users.\(user)",
                    message: "not a bcrypt hash (60 characters starting with $2y$, $2b$ or $2a$, as `htpasswd -nB USER` prints)")
            }
            users[user] = hash
        }
        return users
    }

    private static func mapping(_ node: Node, key: String?, file: String) throws -> [(Node, Node)] {
        guard case .mapping(let mapping) = node else {
            throw ConfigError(file: file, line: node.mark?.line, key: key, message: "must be a mapping")
        }
        return Array(mapping)
    }

    private static func unsupported(_ key: String, known: Set<String>) -> String {
        "not supported by amqtop serve (it knows \(known.sorted().joined(separator: ", "))): refused rather than ignored"
    }
}
