/// One SQL statement of a schema change, ending in `;`.
public struct SchemaStatement: Sendable, Hashable {
    /// The statement's text, ending in `;`.
    public var sql: String
    /// Runs outside the migration's transaction: SQLite ignores `PRAGMA foreign_keys` inside one.
    public var outsideTransaction: Bool

    public init(_ sql: String, outsideTransaction: Bool = false) {
        self.sql = sql
        self.outsideTransaction = outsideTransaction
    }
}

/// The statements of a list of changes, in order, and their text for a migration file.
public struct SchemaScript: Sendable, Hashable {
    /// The statements, in the order they run.
    public var statements: [SchemaStatement]

    public init(statements: [SchemaStatement]) {
        self.statements = statements
    }

    /// The changes' statements; on SQLite a plan holding a table rebuild runs as a whole with
    /// foreign keys off, so that dropping a parent table neither cascades nor fails.
    public init(changes: [SchemaChange], flavor: SQLFlavor) throws(SchemaChangeError) {
        var body: [SchemaStatement] = []
        for change in changes {
            body += try change.statementsWithinPlan(for: flavor)
        }
        let rebuilds = flavor == .sqlite && changes.contains { if case .rebuildTable = $0 { true } else { false } }
        let routines = flavor == .postgresql && changes.contains { if case .replaceRoutine = $0 { true } else { false } }
        statements = rebuilds ? SQLiteTableRebuild.withForeignKeysOff(body) : routines ? Self.withoutFunctionBodyChecks(body) : body
    }

    /// Functions are made before the tables, which a `LANGUAGE sql` body may read: PostgreSQL
    /// checks such bodies only when told to (as `pg_dump` does), and is told to again at the end.
    private static func withoutFunctionBodyChecks(_ body: [SchemaStatement]) -> [SchemaStatement] {
        [SchemaStatement("SET check_function_bodies = false;")] + body + [SchemaStatement("RESET check_function_bodies;")]
    }

    /// Whether the script manages its own transactions (some statement must run outside one).
    public var needsOwnTransaction: Bool { statements.contains(where: \.outsideTransaction) }

    /// The script as a migration file: one statement per line group. A script that must run
    /// statements outside the transaction says so in Strata's header and wraps the rest in
    /// `BEGIN`/`COMMIT` itself.
    public var text: String {
        guard needsOwnTransaction else { return statements.map { $0.sql + "\n" }.joined(separator: "\n") }
        var groups = ["-- strata:transaction=false\n"]
        var inTransaction = false
        for statement in statements {
            if statement.outsideTransaction == inTransaction {
                groups.append(inTransaction ? "COMMIT;\n" : "BEGIN;\n")
                inTransaction.toggle()
            }
            groups.append(statement.sql + "\n")
        }
        if inTransaction { groups.append("COMMIT;\n") }
        return groups.joined(separator: "\n")
    }
}
