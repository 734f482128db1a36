import StrataSchema

/// What differs between two schemas, one line per object, so that a failed round trip names
/// the table or view at fault instead of printing two whole schemas.
public func differences(_ found: Schema, _ expected: Schema) -> [String] {
    let found = found.normalized(), expected = expected.normalized()
    var lines: [String] = []
    func compare<T: Equatable>(_ kind: String, _ a: [T], _ b: [T], name: (T) -> String) {
        for item in a where !b.contains(item) {
            let other = b.first { name($0) == name(item) }
            lines.append("\(kind) \(name(item)): found \(item)" + (other.map { "\n    expected \($0)" } ?? ", not expected"))
        }
        for item in b where !a.contains(where: { name($0) == name(item) }) {
            lines.append("\(kind) \(name(item)) missing: \(item)")
        }
    }
    compare("namespace", found.namespaces, expected.namespaces) { $0 }
    compare("extension", found.extensions, expected.extensions) { $0.name }
    compare("enum", found.enums, expected.enums) { $0.name.description }
    compare("domain", found.domains, expected.domains) { $0.name.description }
    compare("sequence", found.sequences, expected.sequences) { $0.name.description }
    compare("table", found.tables, expected.tables) { $0.name.description }
    compare("view", found.views, expected.views) { $0.name.description }
    compare("routine", found.routines, expected.routines) { "\($0.name)(\($0.signature))" }
    compare("trigger", found.triggers, expected.triggers) { "\($0.table).\($0.name)" }
    compare("object", found.others, expected.others) { "\($0.kind) \($0.name)" }
    return lines
}

/// The schema with every table's columns in name order: for comparing after an undo, which
/// adds a dropped column back at the end of its table.
public func ignoringColumnOrder(_ schema: Schema) -> Schema {
    var schema = schema
    for index in schema.tables.indices { schema.tables[index].columns.sort { $0.name < $1.name } }
    return schema.normalized()
}
