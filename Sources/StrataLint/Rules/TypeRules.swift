/// Rules about column types that cost a rewrite later: the cheap moment to choose is now.
extension LintRule {
    /// Every column a statement defines, in new tables and added to existing ones.
    static func definedColumns(_ statement: LintStatement) -> [(Relation, ColumnDefinition)] {
        switch statement.kind {
        case .createTable(let table, let columns, _):
            return columns.map { (table, $0) }
        case .alterTable(let table, let commands):
            return commands.compactMap { if case .addColumn(let column) = $0 { (table, column) } else { nil } }
        default:
            return []
        }
    }

    private static func typeRule(_ id: String, _ summary: String, when matches: @escaping @Sendable (ColumnType) -> Bool,
                                 better: @escaping @Sendable (ColumnType) -> String, why: String) -> LintRule {
        LintRule(id, .warning, summary) { statement, _ in
            definedColumns(statement).filter { matches($0.1.type) }.map { table, column in
                RuleHit(message: "\(table).\(column.name) is \(column.type).", table: table.description, why: why,
                        safeSQL: "-- declare \(SQLName.quoted(column.name)) as \(better(column.type)) instead")
            }
        }
    }

    static let preferJSONB = typeRule(
        "prefer-jsonb", "json rather than jsonb.", when: { $0.name == "json" }, better: { _ in "jsonb" },
        why: "json has no equality operator (DISTINCT, GROUP BY and UNION fail on it) and no index support; changing it to jsonb later rewrites the table.")

    static let preferTimestamptz = typeRule(
        "prefer-timestamptz", "timestamp without time zone.", when: { $0.name == "timestamp" }, better: { _ in "timestamptz" },
        why: "The value means a different instant for every session time zone; converting it later rewrites the table (unless the session is UTC).")

    static let preferText = typeRule(
        "prefer-text", "char(n).", when: { $0.name == "bpchar" }, better: { _ in "text (with a CHECK on its length if it needs one)" },
        why: "char(n) pads with spaces and compares in surprising ways; widening it later rewrites the table, while a CHECK on text can change without one.")

    static let preferBigintIdentity = LintRule(
        "prefer-bigint-identity", .warning, "An integer or serial primary key."
    ) { statement, _ in
        let keyColumns: Set<String>
        if case .createTable(_, _, let constraints) = statement.kind {
            keyColumns = Set(constraints.filter { $0.kind == .primaryKey }.flatMap(\.columns))
        } else {
            keyColumns = []
        }
        return definedColumns(statement).filter { ($0.1.primaryKey || keyColumns.contains($0.1.name)) && $0.1.type.isSmallInteger }.map { table, column in
            RuleHit(
                message: "The primary key \(table).\(column.name) is \(column.type).",
                table: table.description,
                why: "A 32-bit key runs out at 2.1 billion rows, and widening it then rewrites the table and every table that references it, under ACCESS EXCLUSIVE.",
                safeSQL: "-- declare it as: \(SQLName.quoted(column.name)) bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }
    }
}
