/// A password held in memory that refuses to print itself.
///
/// Its description, debug description and dumps are a fixed mask, so a secret passed to
/// a log line, an error or string interpolation by mistake does not leak.
public struct Secret: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The plain text, for building the Authorization header only.
    public let plainText: String

    public init(_ plainText: String) { self.plainText = plainText }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
