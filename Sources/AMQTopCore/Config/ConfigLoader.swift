import Foundation

/// Finds and reads the configuration file: `--config FILE`, `./amqtop.yaml`, then `$XDG_CONFIG_HOME/amqtop/config.yaml`.
public struct ConfigLoader {
    public var environment: [String: String]
    public var currentDirectory: String

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The places searched when no `--config` is given, in order.
    public var searchPaths: [String] {
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.config" } ?? "/root/.config"
        return [(currentDirectory as NSString).appendingPathComponent("amqtop.yaml"), configHome + "/amqtop/config.yaml"]
    }

    /// The first existing search path, or nil.
    public func defaultPath() -> String? {
        searchPaths.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The largest configuration file read: a 300-broker fleet's is about 60 KB; a 5 MB one
    /// with 30,000 brokers took 12 s and 990 MB to parse before this bound.
    public static let maxFileBytes = 1_048_576

    /// Loads and parses the file at `path`; errors name the file.
    ///
    /// Read through `SafeFile` (a FIFO, a device or a directory is refused by name, never
    /// waited on), bounded by ``maxFileBytes`` and `ConfigParser.maxBrokers`; a file with no groups
    /// (empty, or comments only) is an error, not a status of "0 groups".
    public func load(path: String) throws -> AppConfig {
        let text: String
        do {
            text = try SafeFile.text(path, limitBytes: Self.maxFileBytes)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, message: error.problem)
        }
        let base = ((path as NSString).isAbsolutePath ? path : (currentDirectory as NSString).appendingPathComponent(path)) as NSString
        var config = try ConfigParser(fileName: path, environment: environment, baseDirectory: base.deletingLastPathComponent).parse(text)
        config.sourcePath = path
        guard !config.groups.isEmpty else {
            throw ConfigError(
                file: path, line: nil, key: "groups",
                message: "no groups configured (the file is empty or has only comments): add a groups: list, see `amqtop init` or the lab's amqtop.yaml from `amqtop demo`")
        }
        return config
    }
}
