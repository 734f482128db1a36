/// One way two schemas differ, as people read it: the object, what one schema has, what the
/// other has. `strata drift` lists these for the changes that would take the schema its
/// migrations produce (expected) to the live one (found).
public struct SchemaDifference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The object, in words: `column orders.total`, `index orders_total on orders`.
    public var object: String
    /// What the expected schema has there; `none` when it has no such object.
    public var expected: String
    /// What the schema found has there; `none` when it has no such object.
    public var found: String

    public init(object: String, expected: String, found: String) {
        self.object = object
        self.expected = expected
        self.found = found
    }

    /// `object: expected …, found …`, one line.
    public var description: String { "\(object): expected \(expected), found \(found)" }

    static let absent = "none"
}

extension SchemaChange {
    /// The difference this change stands for, read as "`expected` is the schema before the
    /// change, `found` the one after it".
    public var difference: SchemaDifference {
        let none = SchemaDifference.absent
        switch self {
        case .createNamespace(let name): return .init(object: "schema \(name)", expected: none, found: "present")
        case .dropNamespace(let name): return .init(object: "schema \(name)", expected: "present", found: none)
        case .createExtension(let object): return .init(object: "extension \(object.name)", expected: none, found: object.version ?? "present")
        case .updateExtension(let name, let from, let to): return .init(object: "extension \(name)", expected: from ?? "present", found: to)
        case .dropExtension(let object): return .init(object: "extension \(object.name)", expected: object.version ?? "present", found: none)
        case .createEnum(let type): return .init(object: "type \(type.name)", expected: none, found: Self.list(type.values))
        case .addEnumValue(let type, let value, _): return .init(object: "type \(type)", expected: "no value '\(value)'", found: "value '\(value)'")
        case .dropEnum(let type): return .init(object: "type \(type.name)", expected: Self.list(type.values), found: none)
        case .createDomain(let domain): return .init(object: "domain \(domain.name)", expected: none, found: domain.type)
        case .alterDomain(let from, let to): return .init(object: "domain \(from.name)", expected: Self.describe(from), found: Self.describe(to))
        case .dropDomain(let domain): return .init(object: "domain \(domain.name)", expected: domain.type, found: none)
        case .createSequence(let sequence): return .init(object: "sequence \(sequence.name)", expected: none, found: "present")
        case .alterSequence(let from, let to): return .init(object: "sequence \(from.name)", expected: Self.describe(from), found: Self.describe(to))
        case .dropSequence(let sequence): return .init(object: "sequence \(sequence.name)", expected: "present", found: none)
        case .createTable(let table): return .init(object: "table \(table.name)", expected: none, found: Self.columns(table))
        case .renameTable(let from, let to): return .init(object: "table \(from)", expected: "named \(from)", found: "named \(to)")
        case .dropTable(let table): return .init(object: "table \(table.name)", expected: Self.columns(table), found: none)
        case .rebuildTable(let rebuild): return Self.tableDifference(rebuild.from, rebuild.to)
        case .addColumn(let table, let column): return .init(object: "column \(table).\(column.name)", expected: none, found: Self.describe(column))
        case .renameColumn(let table, let from, let to): return .init(object: "column \(table).\(from)", expected: "named \(from)", found: "named \(to)")
        case .dropColumn(let table, let column): return .init(object: "column \(table).\(column.name)", expected: Self.describe(column), found: none)
        case .alterColumnType(let table, let column, let from, let to, _):
            return .init(object: "column \(table).\(column)", expected: "type \(from.type)", found: "type \(to.type)")
        case .alterColumnNullability(let table, let column, let nullable):
            return .init(object: "column \(table).\(column)", expected: nullable ? "NOT NULL" : "nullable", found: nullable ? "nullable" : "NOT NULL")
        case .alterColumnDefault(let table, let column, let from, let to):
            return .init(object: "column \(table).\(column)", expected: "default \(from ?? none)", found: "default \(to ?? none)")
        case .alterColumnIdentity(let table, let column, let from, let to):
            return .init(object: "column \(table).\(column)", expected: "identity \(from?.rawValue ?? none)", found: "identity \(to?.rawValue ?? none)")
        case .addConstraint(let table, let constraint): return .init(object: Self.name(constraint, on: table), expected: none, found: Self.describe(constraint))
        case .dropConstraint(let table, let constraint): return .init(object: Self.name(constraint, on: table), expected: Self.describe(constraint), found: none)
        case .createIndex(let table, let index): return .init(object: "index \(index.name) on \(table)", expected: none, found: Self.describe(index))
        case .dropIndex(let table, let index): return .init(object: "index \(index.name) on \(table)", expected: Self.describe(index), found: none)
        case .createView(let view): return .init(object: Self.kind(view) + " \(view.name)", expected: none, found: view.definition)
        case .replaceView(let from, let to): return .init(object: Self.kind(from) + " \(from.name)", expected: from.definition, found: to.definition)
        case .dropView(let view): return .init(object: Self.kind(view) + " \(view.name)", expected: view.definition, found: none)
        case .replaceRoutine(let from, let to):
            return .init(object: "\(to.kind.rawValue) \(to.name)(\(to.signature))", expected: from == nil ? none : "another definition", found: "this definition")
        case .dropRoutine(let routine): return .init(object: "\(routine.kind.rawValue) \(routine.name)(\(routine.signature))", expected: "present", found: none)
        case .createTrigger(let trigger): return .init(object: "trigger \(trigger.name) on \(trigger.table)", expected: none, found: "present")
        case .dropTrigger(let trigger): return .init(object: "trigger \(trigger.name) on \(trigger.table)", expected: "present", found: none)
        case .setComment(let target, let from, let to): return .init(object: "comment on \(Self.describe(target))", expected: from ?? none, found: to ?? none)
        case .createOpaque(let object): return .init(object: "\(object.kind) \(object.name)", expected: none, found: "present")
        case .dropOpaque(let object): return .init(object: "\(object.kind) \(object.name)", expected: "present", found: none)
        }
    }

    private static func list(_ values: [String]) -> String { values.map { "'\($0)'" }.joined(separator: ", ") }

    private static func columns(_ table: Table) -> String {
        "(" + table.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + ")"
    }

    private static func describe(_ column: Column) -> String {
        [column.type, column.nullable ? nil : "NOT NULL", column.defaultValue.map { "DEFAULT \($0)" },
         column.generated.map { "GENERATED AS (\($0))" }].compactMap { $0 }.joined(separator: " ")
    }

    private static func describe(_ domain: Domain) -> String {
        ([domain.type, domain.nullable ? nil : "NOT NULL", domain.defaultValue.map { "DEFAULT \($0)" }] + domain.checks.map { "CHECK (\($0.expression))" })
            .compactMap { $0 }.joined(separator: " ")
    }

    private static func describe(_ sequence: Sequence) -> String {
        "\(sequence.type) start \(sequence.start) increment \(sequence.increment) min \(sequence.minimum) max \(sequence.maximum) cache \(sequence.cache)\(sequence.cycle ? " cycle" : "")"
    }

    private static func describe(_ index: Index) -> String {
        (index.unique ? "UNIQUE " : "") + (index.method.map { "USING \($0) " } ?? "") + "(" + index.keys.map(\.expression).joined(separator: ", ") + ")"
            + (index.predicate.map { " WHERE \($0)" } ?? "")
    }

    private static func name(_ constraint: TableConstraint, on table: QualifiedName) -> String {
        let name: String? = switch constraint {
        case .primaryKey(let key): key.name
        case .unique(let unique): unique.name
        case .foreignKey(let key): key.name
        case .check(let check): check.name
        }
        return "constraint \(name ?? "(unnamed)") on \(table)"
    }

    private static func describe(_ constraint: TableConstraint) -> String {
        switch constraint {
        case .primaryKey(let key): "PRIMARY KEY (\(key.columns.joined(separator: ", ")))"
        case .unique(let unique): "UNIQUE (\(unique.columns.joined(separator: ", ")))"
        case .foreignKey(let key):
            "FOREIGN KEY (\(key.columns.joined(separator: ", "))) REFERENCES \(key.referencedTable) (\(key.referencedColumns.joined(separator: ", "))) ON DELETE \(key.onDelete.rawValue)"
        case .check(let check): "CHECK (\(check.expression))"
        }
    }

    private static func kind(_ view: View) -> String { view.materialized ? "materialized view" : "view" }

    private static func describe(_ target: CommentTarget) -> String {
        switch target {
        case .table(let name): "table \(name)"
        case .column(let table, let column): "column \(table).\(column)"
        case .view(let name, let materialized): (materialized ? "materialized view " : "view ") + name.description
        case .type(let name): "type \(name)"
        case .namespace(let name): "schema \(name)"
        case .routine(let name, let signature, let kind): "\(kind.rawValue) \(name)(\(signature))"
        }
    }

    /// A SQLite rebuild, read as what differs between the two tables' definitions.
    private static func tableDifference(_ from: Table, _ to: Table) -> SchemaDifference {
        let changed = Set(from.columns.map { "\($0.name) \(describe($0))" }).symmetricDifference(to.columns.map { "\($0.name) \(describe($0))" })
        let before = from.columns.filter { changed.contains("\($0.name) \(describe($0))") }.map { "\($0.name) \(describe($0))" }
        let after = to.columns.filter { changed.contains("\($0.name) \(describe($0))") }.map { "\($0.name) \(describe($0))" }
        if before.isEmpty && after.isEmpty {
            return .init(object: "table \(from.name)", expected: "its constraints as the migrations define them", found: "other constraints")
        }
        return .init(object: "table \(from.name)", expected: before.isEmpty ? "no such column" : before.joined(separator: "; "),
                     found: after.isEmpty ? "no such column" : after.joined(separator: "; "))
    }
}
