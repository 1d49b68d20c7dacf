/// A theme that cannot be used, naming the file and line at fault.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The theme file's path (or "embedded").
    public var file: String
    /// 1-based line number, when known.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
