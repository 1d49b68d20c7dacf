/// A configuration mistake, naming the file, the line and the key, so it can be fixed at once.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, or a description of the source such as `command line`.
    public var file: String
    public var line: Int?
    /// The key's path, e.g. `groups[orders].brokers[broker2].openwire`.
    public var key: String?
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: KEY: MESSAGE`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
