import Yams

/// Reads a YAML changelog, and a JSON one (Liquibase reads JSON with its YAML reader, and one
/// of its own fixtures is YAML under a `.json` name), into the node tree XML gives: a key with
/// a scalar is an attribute, with a mapping a nested element, with a list a nested element
/// holding the list's items. The lists that XML writes without a wrapper (`changes`, `columns`,
/// `params`) lose theirs, so both formats give the same tree.
enum YAMLChangelogReader {
    /// Keys whose list items sit directly in the parent in XML.
    static let unwrappedLists: Set<String> = ["changes", "columns", "params"]

    static func read(_ text: String, file: String) throws(ChangelogError) -> ChangelogNode {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ChangelogError(.malformed("not valid YAML (\(message(error)))"), at: ChangelogLocation(file: file, line: line(error)))
        } catch {
            throw ChangelogError(.malformed("not valid YAML (\(error))"), at: ChangelogLocation(file: file, line: 0))
        }
        guard let document, case .mapping(let mapping) = document else {
            throw ChangelogError(.malformed("a changelog is a mapping with the key databaseChangeLog"), at: ChangelogLocation(file: file, line: 1))
        }
        var seen = Set<String>()
        for (key, _) in mapping {
            let name = key.string ?? ""
            let location = ChangelogLocation(file: file, line: key.mark?.line ?? 0)
            guard seen.insert(name).inserted else {
                throw ChangelogError(.malformed("found duplicate key \(name)"), at: location)
            }
            guard name == "databaseChangeLog" else {
                throw ChangelogError(.unknownElement(name, context: "the top of a changelog (only databaseChangeLog)"), at: location)
            }
        }
        guard let (key, value) = mapping.first(where: { $0.key.string == "databaseChangeLog" }) else {
            throw ChangelogError(.malformed("no databaseChangeLog key"), at: ChangelogLocation(file: file, line: 1))
        }
        return node(named: "databaseChangeLog", value, file: file, line: key.mark?.line ?? 1)
    }

    /// The node for `name: value`.
    static func node(named name: String, _ value: Node, file: String, line: Int) -> ChangelogNode {
        let location = ChangelogLocation(file: file, line: value.mark?.line ?? line)
        switch value {
        case .scalar(let scalar):
            return ChangelogNode(name: name, value: isNull(scalar) ? nil : scalar.string, location: location)
        case .mapping(let mapping):
            return ChangelogNode(name: name, children: children(of: mapping, file: file), location: location)
        case .sequence(let sequence):
            return ChangelogNode(name: name, children: sequence.flatMap { items(name, $0, file: file) }, location: location)
        case .alias:
            return ChangelogNode(name: name, location: location)
        }
    }

    static func children(of mapping: Node.Mapping, file: String) -> [ChangelogNode] {
        mapping.flatMap { key, value -> [ChangelogNode] in
            let name = key.string ?? ""
            let line = key.mark?.line ?? 0
            if case .sequence(let sequence) = value {
                if sequence.allSatisfy({ $0.scalar != nil }) {
                    return sequence.map { node(named: name, $0, file: file, line: line) }
                }
                if unwrappedLists.contains(name) {
                    return sequence.flatMap { items(name, $0, file: file) }
                }
            }
            if case .scalar(let scalar) = value, isNull(scalar) {
                return [ChangelogNode(name: name, location: ChangelogLocation(file: file, line: line))]
            }
            return [node(named: name, value, file: file, line: line)]
        }
    }

    /// A list item: `- column: {…}` is the element `column`; any other item keeps the list's name.
    static func items(_ listName: String, _ item: Node, file: String) -> [ChangelogNode] {
        if case .mapping(let mapping) = item, mapping.count == 1, let (key, value) = mapping.first, let name = key.string {
            return [node(named: name, value, file: file, line: key.mark?.line ?? 0)]
        }
        return [node(named: listName, item, file: file, line: item.mark?.line ?? 0)]
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func line(_ error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: 0
        }
    }

    static func message(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "found duplicate key " + duplicates.joined(separator: ", ")
        default: "\(error)"
        }
    }
}
