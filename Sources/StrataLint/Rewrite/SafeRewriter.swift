import CPgQuery
import Strata

/// The safe form of a PostgreSQL migration, decided from PostgreSQL's own parse tree: each
/// statement the lint rules flag for locking an existing table through a scan, a build or a
/// rewrite, and that has an equivalent safe form, is replaced by it (see ``MigrationRewrite``).
///
/// | Statement | Runs as |
/// |---|---|
/// | `CREATE [UNIQUE] INDEX name …` | `CREATE [UNIQUE] INDEX CONCURRENTLY name …`, outside a transaction |
/// | `ADD FOREIGN KEY` / `ADD CHECK` | the same `NOT VALID`, then `VALIDATE CONSTRAINT` in a transaction of its own |
/// | `ALTER COLUMN c SET NOT NULL` | `CHECK (c IS NOT NULL) NOT VALID` → `VALIDATE` → `SET NOT NULL` (no scan) → drop the check |
/// | `ADD PRIMARY KEY` / `ADD UNIQUE` | `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT … USING INDEX` |
/// | `ADD COLUMN c … DEFAULT volatile()` | the column without its default, `SET DEFAULT`, then a batched backfill |
///
/// Tables created earlier in the same migration are left alone, as are statements whose safe form
/// would differ from them (unnamed indexes and CHECKs, constraint options, several subcommands in
/// one `ALTER TABLE`). Every statement it writes is parsed again before it is used.
public struct SafeRewriter: MigrationRewriting {
    /// The PostgreSQL major version migrations run on: SET NOT NULL skips its scan from 12 on.
    public let postgresVersion: Int

    public init(postgresVersion: Int = 15) {
        self.postgresVersion = postgresVersion
    }

    /// Whether libpg_query can be loaded here; without it migrations run as written.
    public static var isAvailable: Bool { strata_pg_query_available() == 1 }

    /// The safe form of `migration`, or nil when every statement stays as written (or the
    /// migration does not run in one transaction, or the parser rejects a statement: the run
    /// reports that one itself), or when every statement it would replace works on a table in
    /// `newTables`. Those were created by migrations earlier in the same run: nobody uses them
    /// yet, so the plain statements take their locks at no cost, the migration keeps its one
    /// transaction, and a run that creates tables and indexes them does not build every index
    /// concurrently. A migration that also touches an older table is rewritten in full, as if
    /// `newTables` were empty, so that a rerun resuming it finds the same phases.
    /// The tables the migration creates are added to `newTables`.
    /// - Throws: ``ParserUnavailable`` when libpg_query is not installed; the error reading the
    ///   migration's file (gone, or changed since the catalog was read).
    public func rewrite(_ migration: Migration, newTables: inout Set<String>) throws -> MigrationRewrite? {
        guard migration.directives.transaction != false else { return nil }
        let sql = try migration.sql
        guard let statements = try? PostgresScriptSplitter.split(sql), !statements.isEmpty,
              !statements.contains(where: { $0.requiresNoTransaction || $0.copyData != nil }) else { return nil }
        var context = LintContext(postgresVersion: postgresVersion)
        context.beginMigration(inTransaction: true)
        defer { newTables.formUnion(context.createdTables) }
        var plan = PhasePlan()
        var replacedTables: Set<String> = []
        var passedOver: [String] = []
        for statement in statements {
            if Self.neitherReplacedNorInforming(statement.text) {
                plan.keep(statement.text)
                passedOver.append(statement.text)
                continue
            }
            guard let tree = try Self.oneTree(statement.text) else { return nil }
            let parsed = LintStatement(line: statement.line, text: statement.text, tree: tree, kind: StatementDecoder.kind(of: tree, text: statement.text))
            if case .transaction = parsed.kind { return nil }
            if let safe = try safeForm(of: parsed, context), try (safe.leading.map { .transaction($0) } + safe.phases).allSatisfy(Self.parses) {
                plan.add(safe, line: statement.line)
                replacedTables.formUnion(Self.table(of: parsed.kind).map { [$0] } ?? [])
            } else {
                plan.keep(statement.text)
            }
            context.record(parsed)
        }
        if !replacedTables.isEmpty && replacedTables.isSubset(of: newTables) { return nil }
        // A statement the parser rejects keeps the migration as written, in one transaction, so
        // that it fails whole: the ones passed over are parsed once a rewrite depends on them.
        guard let rewrite = plan.rewrite else { return nil }
        for text in passedOver where try Self.oneTree(text) == nil {
            return nil
        }
        return rewrite
    }

    /// The parse tree of one statement's text; nil when the parser rejects it or finds several.
    private static func oneTree(_ text: String) throws -> ParseNode? {
        guard case .parsed(let trees) = try PostgresParser.parse(text), trees.count == 1 else { return nil }
        return trees[0]
    }

    /// Statements whose first words show they are none of those the table above replaces, nor
    /// one that tells what a later statement is replaced by (a table created, a column's type, an
    /// index or constraint): data changes, queries, views, routines, comments and grants. They
    /// are kept as written without being parsed, which for a migration of large INSERTs was most
    /// of the rewriter's time.
    static func neitherReplacedNorInforming(_ statement: String) -> Bool {
        let words = PostgresScriptSplitter.leadingKeywords(of: statement, count: 4)
        switch words.first {
        case "INSERT", "UPDATE", "DELETE", "SELECT", "VALUES", "WITH", "COMMENT", "GRANT", "REVOKE":
            return true
        case "CREATE":
            let kind = words.dropFirst().starts(with: ["OR", "REPLACE"]) ? words.dropFirst(3).first : words.dropFirst().first
            return ["VIEW", "FUNCTION", "PROCEDURE"].contains(kind)
        default:
            return false
        }
    }

    /// The table a replaceable statement works on.
    private static func table(of kind: StatementKind) -> String? {
        switch kind {
        case .createIndex(let index): index.table.name
        case .alterTable(let table, _): table.name
        default: nil
        }
    }

    /// One statement's replacement: the phases it becomes, and a line saying why.
    struct SafeForm {
        /// Statements that may join the transaction of the statements before them.
        var leading: [String] = []
        var phases: [MigrationRewrite.Phase] = []
        let change: String
    }

    private func safeForm(of statement: LintStatement, _ context: LintContext) throws -> SafeForm? {
        switch statement.kind {
        case .createIndex(let index) where !index.concurrently && !context.isNew(index.table):
            guard let name = index.name else { return nil }
            let sql = StatementText.inserting("CONCURRENTLY", after: "INDEX", in: statement.text) + ";"
            return SafeForm(phases: [.outside(sql, index: TableName(schema: index.table.schema, name: name))],
                            change: "CREATE INDEX \(SQLName.quoted(name)) → CONCURRENTLY, outside the transaction (SHARE would block writes to \(index.table) for the whole build)")
        case .alterTable(let table, let commands) where commands.count == 1 && !context.isNew(table) && !statement.tree["AlterTableStmt"]["missing_ok"].isTrue:
            let command = statement.tree["AlterTableStmt"]["cmds"].items.first?["AlterTableCmd"] ?? .null
            return alterForm(commands[0], command, table: table, statement: statement)
        default:
            return nil
        }
    }

    private func alterForm(_ command: AlterCommand, _ node: ParseNode, table: Relation, statement: LintStatement) -> SafeForm? {
        switch command {
        case .addConstraint(let constraint) where [.foreignKey, .check].contains(constraint.kind) && !constraint.notValid:
            guard let name = constraint.name ?? (constraint.kind == .foreignKey ? constraint.defaultName(on: table) : nil), name.utf8.count < 64 else { return nil }
            return SafeForm(
                leading: [statement.text + "\nNOT VALID"],
                phases: [.transaction("ALTER TABLE \(table) VALIDATE CONSTRAINT \(SQLName.quoted(name));")],
                change: "ADD \(constraint.kind == .foreignKey ? "FOREIGN KEY" : "CHECK") \(SQLName.quoted(name)) → NOT VALID, then VALIDATE in a transaction of its own (reads and writes go on during its scan)")
        case .setNotNull(let column) where postgresVersion >= 12:
            let check = SQLName.quoted(String("strata_nn_\(table.name)_\(column)".utf8.prefix(63)) ?? "strata_nn")
            return SafeForm(
                leading: ["ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(SQLName.quoted(column)) IS NOT NULL) NOT VALID"],
                phases: [.transaction("ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);"),
                         .transaction(PhasePlan.terminated(statement.text) + "\nALTER TABLE \(table) DROP CONSTRAINT \(check);")],
                change: "SET NOT NULL on \(table).\(SQLName.quoted(column)) → CHECK NOT VALID, VALIDATE, then SET NOT NULL without a scan and the CHECK dropped")
        case .addConstraint(let constraint) where [.primaryKey, .unique].contains(constraint.kind) && constraint.usingIndex == nil && !constraint.columns.isEmpty:
            let definition = node["def"]["Constraint"]
            guard ["deferrable", "initdeferred", "nulls_not_distinct"].allSatisfy({ !definition[$0].isTrue }),
                  [definition["including"], definition["options"], definition["indexspace"]].allSatisfy({ $0 == .null }) else { return nil }
            let name = constraint.name ?? constraint.defaultName(on: table)
            guard name.utf8.count < 64 else { return nil }
            let what = constraint.kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE"
            return SafeForm(
                phases: [.outside("CREATE UNIQUE INDEX CONCURRENTLY \(SQLName.quoted(name)) ON \(table) (\(SQLName.list(constraint.columns)));",
                                  index: TableName(schema: table.schema, name: name)),
                         .transaction("ALTER TABLE \(table) ADD CONSTRAINT \(SQLName.quoted(name)) \(what) USING INDEX \(SQLName.quoted(name));")],
                change: "ADD \(what) \(SQLName.quoted(name)) → CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX (ACCESS EXCLUSIVE only for a moment)")
        case .addColumn(let column) where column.defaultValue.map { !Volatility.isNonVolatile($0) } == true:
            let constraints = node["def"]["ColumnDef"]["constraints"].items
            guard constraints.count == 1, let location = constraints[0]["Constraint"]["location"].integer,
                  !column.type.isSerial, !column.identity, !column.generatedStored else { return nil }
            let bytes = Array(statement.text.utf8)
            let keyword = "DEFAULT".utf8.count
            guard location + keyword <= bytes.count else { return nil }
            let added = SQLText.trimmed(String(decoding: bytes[..<location], as: UTF8.self))
            let value = SQLText.trimmed(String(decoding: bytes[(location + keyword)...], as: UTF8.self))
            let name = SQLName.quoted(column.name)
            return SafeForm(
                leading: [added, "ALTER TABLE \(table) ALTER COLUMN \(name) SET DEFAULT \(value)"],
                phases: [.backfill(Backfill(table: TableName(schema: table.schema, name: table.name),
                                            change: .update(assignments: "\(name) = DEFAULT"), condition: "\(name) IS NULL"))],
                change: "ADD COLUMN \(name) with a volatile default → added without it, SET DEFAULT for new rows, existing rows filled in short batches (no table rewrite under ACCESS EXCLUSIVE)")
        default:
            return nil
        }
    }

    /// Whether PostgreSQL's grammar accepts what a phase runs.
    private static func parses(_ phase: MigrationRewrite.Phase) throws -> Bool {
        let sql: String
        switch phase {
        case .transaction(let text), .outside(let text, _): sql = text
        case .backfill(let backfill): sql = backfill.statement(in: PostgresDialect())
        }
        if case .parsed = try PostgresParser.parse(sql) { return true }
        return false
    }
}

/// The phases of a rewritten migration as they are assembled: statements kept as written share
/// a transaction with the quick first steps of the safe forms around them.
struct PhasePlan {
    private(set) var phases: [MigrationRewrite.Phase] = []
    private(set) var changes: [String] = []
    private var lines: [Int] = []
    private var open: [String] = []

    mutating func keep(_ statement: String) {
        open.append(statement)
    }

    mutating func add(_ safe: SafeRewriter.SafeForm, line: Int) {
        open += safe.leading
        flush()
        phases += safe.phases
        changes.append("line \(line): \(safe.change)")
        lines.append(line)
    }

    private mutating func flush() {
        guard !open.isEmpty else { return }
        phases.append(.transaction(open.map(Self.terminated).joined(separator: "\n")))
        open = []
    }

    /// A statement with its `;`, on a line of its own when the last line may end in a comment.
    static func terminated(_ statement: String) -> String {
        let last = statement.split(separator: "\n").last ?? ""
        return statement + (last.contains("--") ? "\n;" : ";")
    }

    /// Nil when nothing was rewritten.
    var rewrite: MigrationRewrite? {
        guard !changes.isEmpty else { return nil }
        var plan = self
        plan.flush()
        return MigrationRewrite(phases: plan.phases, changes: changes, replacedLines: lines)
    }
}
