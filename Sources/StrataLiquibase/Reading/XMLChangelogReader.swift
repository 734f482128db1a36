import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an XML changelog into nodes: attributes become leaves, text (trimmed, as Liquibase
/// trims it) the element's value. Elements of Liquibase's namespace (or none) keep their local
/// name; others keep their prefix, so the builder can name them in its error.
enum XMLChangelogReader {
    static let liquibaseNamespace = "http://www.liquibase.org/xml/ns/dbchangelog"

    static func read(_ data: Data, file: String) throws(ChangelogError) -> ChangelogNode {
        let parser = XMLParser(data: data)
        let builder = TreeBuilder(file: file, parser: parser)
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        guard parser.parse(), let root = builder.root else {
            let line = parser.lineNumber
            let detail = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "no root element"
            throw ChangelogError(.malformed("not well-formed XML (\(detail))"), at: ChangelogLocation(file: file, line: line))
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        let file: String
        unowned let parser: XMLParser
        var stack: [(node: ChangelogNode, text: String)] = []
        var root: ChangelogNode?

        init(file: String, parser: XMLParser) {
            self.file = file
            self.parser = parser
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let location = ChangelogLocation(file: file, line: parser.lineNumber)
            let foreign = namespaceURI.map { !$0.isEmpty && $0 != XMLChangelogReader.liquibaseNamespace } ?? false
            let name = foreign ? (qualifiedName ?? elementName) : elementName
            let leaves = attributes.filter { !$0.key.contains(":") && !$0.key.hasPrefix("xmlns") }
                .sorted { $0.key < $1.key }
                .map { ChangelogNode(name: $0.key, value: $0.value, location: location) }
            stack.append((ChangelogNode(name: name, children: leaves, location: location), ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var (node, text) = stack.popLast() else { return }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { node.value = text }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].node.children.append(node)
            }
        }
    }
}
