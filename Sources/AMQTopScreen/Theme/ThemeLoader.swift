import Foundation
import AMQTopCore

/// Finds and loads a theme by name or path: the user's themes, `AMQTOP_THEMES`, the installed
/// or repository `Themes/` folder, then the copies built into the binary.
///
/// The only file access of the screen layer, and it goes through `readFile`, so tests give
/// it files from memory.
public struct ThemeLoader: Sendable {
    public var environment: [String: String]
    /// The running binary's path, to find `Themes/` beside or above it.
    public var executablePath: String?
    /// Reads a whole file; nil when it does not exist or cannot be read.
    public var readFile: @Sendable (String) -> String?

    public init(
        environment: [String: String], executablePath: String?,
        readFile: @escaping @Sendable (String) -> String? = { try? SafeFile.text($0, limitBytes: 262_144) }
    ) {
        self.environment = environment
        self.executablePath = executablePath
        self.readFile = readFile
    }

    /// True when `NO_COLOR` is set to anything non-empty (https://no-color.org).
    public var noColor: Bool { !(environment["NO_COLOR"] ?? "").isEmpty }

    /// Where named themes are looked for, first match wins.
    public var searchDirectories: [String] {
        var dirs: [String] = []
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            dirs.append(xdg + "/amqtop/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            dirs.append(home + "/.config/amqtop/themes")
        }
        if let explicit = environment["AMQTOP_THEMES"], !explicit.isEmpty { dirs.append(explicit) }
        if let executablePath {
            var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            dirs.append(dir.appendingPathComponent("../share/amqtop/themes").standardized.path)
            // A build tree: .build/<triple>/debug/amqtop, so walk up to the package's Themes/.
            for _ in 0..<5 {
                dirs.append(dir.appendingPathComponent("Themes").path)
                dir = dir.deletingLastPathComponent()
            }
        }
        return dirs
    }

    /// The theme to draw with: `request` (a name or a path; nil means `default`), or
    /// `monochrome` when `NO_COLOR` is set.
    public func load(_ request: String?) throws -> Theme {
        if noColor { return try loadNamed("monochrome") }
        let wanted = (request ?? "").isEmpty ? "default" : (request ?? "default")
        if wanted.contains("/") || wanted.hasSuffix(".yaml") || wanted.hasSuffix(".yml") {
            guard let text = readFile(wanted) else { throw ThemeError(file: wanted, line: nil, message: "theme file not found or not readable") }
            let name = URL(fileURLWithPath: wanted).deletingPathExtension().lastPathComponent
            return try ThemeParser.parse(text, name: name, file: wanted, base: try defaultTheme())
        }
        return try loadNamed(wanted)
    }

    /// A theme by name from the search directories, else the embedded copy.
    public func loadNamed(_ name: String) throws -> Theme {
        let base = name == "default" ? try embeddedDefault() : try defaultTheme()
        for dir in searchDirectories {
            let path = dir + "/" + name + ".yaml"
            if let text = readFile(path) { return try ThemeParser.parse(text, name: name, file: path, base: base) }
        }
        if let text = EmbeddedThemes.text(named: name) {
            return try ThemeParser.parse(text, name: name, file: "embedded \(name).yaml", base: base)
        }
        throw ThemeError(file: name, line: nil, message: "no theme named \"\(name)\" (looked in \(searchDirectories.joined(separator: ", ")); built in: \(EmbeddedThemes.names.joined(separator: ", ")))")
    }

    /// The default theme as found on disk (a user may override it), else embedded.
    public func defaultTheme() throws -> Theme { try loadNamed("default") }

    /// The built-in default theme, which every other theme falls back to.
    public func embeddedDefault() throws -> Theme {
        try ThemeParser.parse(EmbeddedThemes.defaultTheme, name: "default", file: "embedded default.yaml", base: nil)
    }
}
