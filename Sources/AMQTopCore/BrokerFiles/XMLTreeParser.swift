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
        // Foundation's XMLParser traps on invalid UTF-8 reaching its delegate (it force-unwraps
        // the Strings it makes: in a comment, and in an element name under a bogus declared
        // encoding; both found by the brokerxml fuzz target). So libxml2 only ever gets checked
        // UTF-8: a declared Latin-1 file is converted here first, other encodings are refused.
        let bytes = try utf8Text(data, fileName: fileName)
        let parser = XMLParser(data: Data(bytes))
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

    /// The file's bytes as checked UTF-8 with no NUL, ready for libxml2; throws naming the line.
    ///
    /// A file declared ISO-8859-1 is converted (each byte is its own code point) and its
    /// declaration rewritten to UTF-8; UTF-8 and US-ASCII pass as they are; any other declared
    /// encoding is refused: amqtop will not hand libxml2 bytes it has not checked.
    static func utf8Text(_ data: Data, fileName: String) throws -> [UInt8] {
        var bytes = [UInt8](data)
        if let declared = declaredEncoding(bytes) {
            switch declared.name.lowercased() {
            case "utf-8", "utf8", "us-ascii", "ascii":
                break
            case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
                let text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
                bytes = Array(text.utf8)
                if let again = declaredEncoding(bytes) { bytes.replaceSubrange(again.range, with: Array("UTF-8".utf8)) }
            default:
                throw BrokerFileError(
                    file: fileName, line: 1,
                    message: "declares encoding \"\(declared.name)\": amqtop init reads UTF-8, US-ASCII and ISO-8859-1 files (convert it: iconv -f \(declared.name) -t UTF-8)")
            }
        }
        func line(at offset: Int) -> Int { bytes[..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
        if let offset = firstInvalidUTF8(bytes) {
            throw BrokerFileError(
                file: fileName, line: line(at: offset),
                message: "not UTF-8 text: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) (declare the file's encoding in <?xml ... encoding=\"...\"?>)")
        }
        if let offset = bytes.firstIndex(of: 0) {
            throw BrokerFileError(file: fileName, line: line(at: offset), message: "not text: a NUL byte")
        }
        return bytes
    }

    /// The encoding the XML declaration names, and where its value stands in `bytes`.
    static func declaredEncoding(_ bytes: [UInt8]) -> (name: String, range: Range<Int>)? {
        let head = Array(bytes.prefix(200))
        guard head.starts(with: Array("<?xml".utf8)),
              let end = (0..<max(0, head.count - 1)).first(where: { head[$0] == UInt8(ascii: "?") && head[$0 + 1] == UInt8(ascii: ">") })
        else { return nil }
        let key = Array("encoding=".utf8)
        guard let at = (0...max(0, end - key.count)).first(where: { Array(head[$0..<min(end, $0 + key.count)]).map { $0 | 0x20 } == key.map { $0 | 0x20 } && $0 + key.count < end })
        else { return nil }
        let quote = head[at + key.count]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let start = at + key.count + 1
        guard let close = (start..<end).first(where: { head[$0] == quote }) else { return nil }
        return (String(decoding: head[start..<close], as: UTF8.self), start..<close)
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
