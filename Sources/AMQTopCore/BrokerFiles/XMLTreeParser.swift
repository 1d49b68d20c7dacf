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
