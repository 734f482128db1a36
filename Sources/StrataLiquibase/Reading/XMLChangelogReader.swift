import Foundation

/// Reads an XML changelog into nodes: attributes become leaves, text (trimmed, as Liquibase
/// trims it) the element's value. Elements of Liquibase's namespace (or none) keep their local
/// name; others keep their prefix, so the builder can name them in its error.
enum XMLChangelogReader {
    static let liquibaseNamespace = "http://www.liquibase.org/xml/ns/dbchangelog"

    static func read(_ data: Data, file: String) throws(ChangelogError) -> ChangelogNode {
        var builder = TreeBuilder(file: file)
        do throws(XMLSyntaxError) {
            try XMLDocumentReader.read(Array(data), into: &builder)
        } catch {
            throw ChangelogError(.malformed("not well-formed XML at column \(error.column): \(error.message)"), at: ChangelogLocation(file: file, line: error.line))
        }
        guard let root = builder.root else {
            throw ChangelogError(.malformed("not well-formed XML: no root element"), at: ChangelogLocation(file: file, line: 0))
        }
        return root
    }

    private struct TreeBuilder: XMLContentHandler {
        let file: String
        var stack: [(node: ChangelogNode, text: String)] = []
        var root: ChangelogNode?

        init(file: String) {
            self.file = file
        }

        mutating func startElement(_ name: XMLName, attributes: [XMLAttribute], line: Int) {
            let location = ChangelogLocation(file: file, line: line)
            let foreign = name.namespace.map { $0 != XMLChangelogReader.liquibaseNamespace } ?? false
            let leaves = attributes.filter { !$0.name.contains(":") && !$0.name.hasPrefix("xmlns") }
                .sorted { $0.name < $1.name }
                .map { ChangelogNode(name: $0.name, value: $0.value, location: location) }
            stack.append((ChangelogNode(name: foreign ? name.qualified : name.local, children: leaves, location: location), ""))
        }

        mutating func characters(_ text: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += text
        }

        mutating func endElement() {
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
