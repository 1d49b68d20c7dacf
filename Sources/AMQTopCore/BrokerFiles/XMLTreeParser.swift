import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML text into an ``XMLElementNode`` tree, with line numbers for every element.
///
/// External entities are never resolved: a broker file must not make amqtop read other
/// files or the network.
public enum XMLTreeParser {
    /// The root element of `data`; throws ``BrokerFileError`` naming the line and the open element.
    public static func parse(_ data: Data, fileName: String) throws -> XMLElementNode {
        // Foundation's XMLParser traps on invalid UTF-8 in a comment (it force-unwraps the
        // String it makes for the delegate; found by the brokerxml fuzz target), so text said
        // or assumed to be UTF-8 is checked first. Other declared encodings libxml2 converts.
        let bytes = [UInt8](data)
        if !declaresOtherEncoding(bytes), let offset = firstInvalidUTF8(bytes) {
            let line = bytes[..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw BrokerFileError(
                file: fileName, line: line,
                message: "not UTF-8 text: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) (declare the file's encoding in <?xml ... encoding=\"...\"?>)")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        let parsed = parser.parse()
        if let first = builder.firstError {
            var message = "not well-formed XML: \(describe(first.code))"
            if let open = first.open { message += "; <\(open.name)> was opened on line \(open.line)" }
            throw BrokerFileError(file: fileName, line: first.line, element: first.open.map { "<\($0.name)>" }, message: message)
        }
        if !parsed || builder.root == nil {
            let line = parser.lineNumber > 0 ? parser.lineNumber : nil
            let code = parser.parserError.map { ($0 as NSError).code }
            throw BrokerFileError(file: fileName, line: line, element: (builder.stack.last?.name).map { "<\($0)>" },
                                  message: "not well-formed XML: " + (code.map(describe) ?? "no root element"))
        }
        return builder.root ?? XMLElementNode(name: "", line: 0)
    }

    /// True when the XML declaration names an encoding other than UTF-8.
    static func declaresOtherEncoding(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(200), as: UTF8.self).lowercased()
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
              let attribute = head[..<end.lowerBound].range(of: "encoding=") else { return false }
        let value = head[attribute.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
        return !value.isEmpty && value != "utf-8" && value != "utf8"
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for next in 1..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            if length > 2 {
                // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
                let second = bytes[index + 1]
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F)
                    || (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) { return index }
            }
            index += length
        }
        return nil
    }

    /// libxml2's error code as words: Foundation on Linux passes the code but not the message.
    static func describe(_ code: Int) -> String {
        let known: [Int: String] = [
            4: "the document is empty", 5: "extra content at the end of the document", 9: "invalid character",
            26: "undeclared entity", 38: "'<' in an attribute value", 39: "attribute value not quoted",
            40: "attribute value not closed", 41: "attribute without a value", 42: "attribute given twice",
            68: "a name is missing", 73: "'>' expected", 76: "end tag does not match the open element",
            77: "the document ends inside an element",
        ]
        return "\(known[code] ?? "parse error") (libxml2 code \(code))"
    }

    /// Collects elements as the SAX events come; only used inside one `parse` call.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        /// The first error libxml2 reports: it recovers and goes on, and later errors are far from the mistake.
        var firstError: (line: Int, open: XMLElementNode?, code: Int)?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard firstError == nil else { return }
            firstError = (parser.lineNumber, stack.last, (parseError as NSError).code)
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLElementNode(name: local, attributes: attributeDict, line: parser.lineNumber))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty {
                root = done
            } else {
                stack[stack.count - 1].children.append(done)
            }
        }
    }
}
