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

    /// Loads and parses the file at `path`; errors name the file.
    public func load(path: String) throws -> AppConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(file: path, line: nil, key: nil, message: "is a directory, not a config file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read (permission denied?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "not UTF-8 text")
        }
        let base = ((path as NSString).isAbsolutePath ? path : (currentDirectory as NSString).appendingPathComponent(path)) as NSString
        var config = try ConfigParser(fileName: path, environment: environment, baseDirectory: base.deletingLastPathComponent).parse(text)
        config.sourcePath = path
        return config
    }
}
