/// A problem in a broker's own file, naming the file, the line and the element, so it can be found at once.
public struct BrokerFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// The XML element (e.g. `kahaDB`) or property the message is about.
    public var element: String?
    public var message: String

    public init(file: String, line: Int? = nil, element: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.element = element
        self.message = message
    }

    /// `FILE:LINE: ELEMENT: MESSAGE`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let element { text += "\(element): " }
        return text + message
    }
}
