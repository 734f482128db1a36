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
    lines = lines.map { line in
        guard line.hasPrefix("table "), let name = line.dropFirst(6).split(separator: ":").first,
              let a = found.tables.first(where: { $0.name.description == name }),
              let b = expected.tables.first(where: { $0.name.description == name }) else { return line }
        return "table \(name): " + tableDifferences(a, b).joined(separator: "; ")
    }
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

/// `found` with the view definitions of `expected`: PostgreSQL prints a view's query in its
/// own layout, which a second empty diff, not field equality, shows to be the same query.
public func withViewDefinitions(of expected: Schema, _ found: Schema) -> Schema {
    var found = found
    for index in found.views.indices {
        if let view = expected.view(found.views[index].name) { found.views[index].definition = view.definition }
    }
    return found
}

/// The parts of a table that differ, each as found and expected.
private func tableDifferences(_ a: Table, _ b: Table) -> [String] {
    var parts: [String] = []
    func part<T: Equatable>(_ name: String, _ x: T, _ y: T) {
        if x != y { parts.append("\(name) \(x) expected \(y)") }
    }
    for (x, y) in zip(a.columns, b.columns) { part("column", x, y) }
    part("column names", a.columns.map(\.name), b.columns.map(\.name))
    part("primary key", a.primaryKey, b.primaryKey)
    part("uniques", a.uniques, b.uniques)
    part("foreign keys", a.foreignKeys, b.foreignKeys)
    part("checks", a.checks, b.checks)
    part("indexes", a.indexes, b.indexes)
    part("options", a.options, b.options)
    part("comment", a.comment, b.comment)
    return parts
}
