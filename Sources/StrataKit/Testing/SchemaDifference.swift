import StrataSchema

/// One place where a schema differs from the one expected: the object, and what each schema
/// holds of it (its SQL, a short phrase for one attribute, or nil where it is absent). Built
/// from the changes of `diff(from: expected, to: found)`, so that a failure shows what a down
/// script left behind rather than the SQL that would remove it.
public struct SchemaDifference: Sendable, Equatable, Codable, CustomStringConvertible {
    /// `index idx_books_title on books`, `column books.language`, `trigger trg_touch on books`.
    public var object: String
    public var expected: String?
    public var found: String?

    public init(object: String, expected: String?, found: String?) {
        self.object = object
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "\(object): expected \(expected.map { "`\($0)`" } ?? "none"), found \(found.map { "`\($0)`" } ?? "none")"
    }

    /// Every difference between two schemas of one engine; empty when they are equal.
    public static func between(expected: Schema, found: Schema, flavor: SQLFlavor) throws(SchemaChangeError) -> [SchemaDifference] {
        try diff(from: expected, to: found, flavor: flavor).changes.map { SchemaDifference($0, flavor: flavor) }
    }

    init(_ change: SchemaChange, flavor: SQLFlavor) {
        func sql(_ change: SchemaChange) -> String {
            let statements = try? SchemaScript(changes: [change], flavor: flavor).statements.map(\.sql)
            return statements?.joined(separator: " ") ?? "\(change)"
        }
        func column(_ table: QualifiedName, _ name: String) -> String { "column \(table).\(name)" }
        switch change {
        case .createNamespace(let name): self.init(object: "schema \(name)", expected: nil, found: sql(change))
        case .dropNamespace(let name): self.init(object: "schema \(name)", expected: sql(.createNamespace(name)), found: nil)
        case .createExtension(let object): self.init(object: "extension \(object.name)", expected: nil, found: sql(change))
        case .dropExtension(let object): self.init(object: "extension \(object.name)", expected: sql(.createExtension(object)), found: nil)
        case .updateExtension(let name, let from, let to):
            self.init(object: "extension \(name)", expected: from.map { "version \($0)" }, found: "version \(to)")
        case .createEnum(let type): self.init(object: "type \(type.name)", expected: nil, found: sql(change))
        case .dropEnum(let type): self.init(object: "type \(type.name)", expected: sql(.createEnum(type)), found: nil)
        case .addEnumValue(let type, let value, _): self.init(object: "type \(type)", expected: nil, found: "value '\(value)'")
        case .createDomain(let domain): self.init(object: "domain \(domain.name)", expected: nil, found: sql(change))
        case .dropDomain(let domain): self.init(object: "domain \(domain.name)", expected: sql(.createDomain(domain)), found: nil)
        case .alterDomain(let from, let to):
            self.init(object: "domain \(to.name)", expected: sql(.createDomain(from)), found: sql(.createDomain(to)))
        case .createSequence(let sequence): self.init(object: "sequence \(sequence.name)", expected: nil, found: sql(change))
        case .dropSequence(let sequence):
            self.init(object: "sequence \(sequence.name)", expected: sql(.createSequence(sequence)), found: nil)
        case .alterSequence(let from, let to):
            self.init(object: "sequence \(to.name)", expected: sql(.createSequence(from)), found: sql(.createSequence(to)))
        case .createTable(let table): self.init(object: "table \(table.name)", expected: nil, found: sql(change))
        case .dropTable(let table): self.init(object: "table \(table.name)", expected: sql(.createTable(table)), found: nil)
        case .renameTable(let from, let to): self.init(object: "table \(from)", expected: "named \(from)", found: "named \(to)")
        case .rebuildTable(let rebuild):
            self.init(object: "table \(rebuild.to.name)", expected: sql(.createTable(rebuild.from)), found: sql(.createTable(rebuild.to)))
        case .addColumn(let table, let added): self.init(object: column(table, added.name), expected: nil, found: sql(change))
        case .dropColumn(let table, let dropped):
            self.init(object: column(table, dropped.name), expected: sql(.addColumn(table: table, dropped)), found: nil)
        case .renameColumn(let table, let from, let to):
            self.init(object: column(table, from), expected: "named \(from)", found: "named \(to)")
        case .alterColumnType(let table, let name, let from, let to, _):
            self.init(object: column(table, name), expected: "type \(from.type)", found: "type \(to.type)")
        case .alterColumnNullability(let table, let name, let nullable):
            self.init(object: column(table, name), expected: nullable ? "NOT NULL" : "NULL", found: nullable ? "NULL" : "NOT NULL")
        case .alterColumnDefault(let table, let name, let from, let to):
            self.init(object: column(table, name), expected: from.map { "DEFAULT \($0)" }, found: to.map { "DEFAULT \($0)" })
        case .alterColumnIdentity(let table, let name, let from, let to):
            self.init(object: column(table, name), expected: from.map { "identity \($0.rawValue)" }, found: to.map { "identity \($0.rawValue)" })
        case .addConstraint(let table, let constraint):
            self.init(object: "constraint on \(table)", expected: nil, found: sql(.addConstraint(table: table, constraint)))
        case .dropConstraint(let table, let constraint):
            self.init(object: "constraint on \(table)", expected: sql(.addConstraint(table: table, constraint)), found: nil)
        case .createIndex(let table, let index): self.init(object: "index \(index.name) on \(table)", expected: nil, found: sql(change))
        case .dropIndex(let table, let index):
            self.init(object: "index \(index.name) on \(table)", expected: sql(.createIndex(table: table, index)), found: nil)
        case .createView(let view): self.init(object: "view \(view.name)", expected: nil, found: sql(change))
        case .dropView(let view): self.init(object: "view \(view.name)", expected: sql(.createView(view)), found: nil)
        case .replaceView(let from, let to): self.init(object: "view \(to.name)", expected: sql(.createView(from)), found: sql(.createView(to)))
        case .replaceRoutine(let from, let to):
            self.init(object: "\(to.kind.rawValue) \(to.name)", expected: from.map { sql(.replaceRoutine(from: nil, to: $0)) },
                      found: sql(.replaceRoutine(from: nil, to: to)))
        case .dropRoutine(let routine):
            self.init(object: "\(routine.kind.rawValue) \(routine.name)", expected: sql(.replaceRoutine(from: nil, to: routine)), found: nil)
        case .createTrigger(let trigger): self.init(object: "trigger \(trigger.name) on \(trigger.table)", expected: nil, found: sql(change))
        case .dropTrigger(let trigger):
            self.init(object: "trigger \(trigger.name) on \(trigger.table)", expected: sql(.createTrigger(trigger)), found: nil)
        case .setComment(let target, let from, let to): self.init(object: "comment on \(target)", expected: from, found: to)
        case .createOpaque(let object): self.init(object: "\(object.kind) \(object.name)", expected: nil, found: object.definition)
        case .dropOpaque(let object): self.init(object: "\(object.kind) \(object.name)", expected: object.definition, found: nil)
        }
    }
}
