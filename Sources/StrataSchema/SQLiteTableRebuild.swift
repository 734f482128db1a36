/// SQLite's documented twelve-step rebuild of a table, for the changes its `ALTER TABLE`
/// cannot make (a constraint added or dropped, a column's type, nullability or default):
/// create the new table under a temporary name, copy the rows, drop the old table, rename
/// the new one and recreate its indexes.
///
/// The rest of the procedure belongs to the plan around it: foreign keys turned off outside
/// the transaction and checked before it commits (``withForeignKeysOff(_:)``), and the
/// table's triggers and the views that use it dropped before and recreated after by `diff`,
/// so that the rename finds no view or trigger naming a table that is gone.
public struct SQLiteTableRebuild: Sendable, Hashable {
    /// The table as it is when the rebuild starts (after any renames).
    public var from: Table
    /// The table as it must be: its columns, constraints and indexes.
    public var to: Table

    public init(from: Table, to: Table) {
        self.from = from
        self.to = to
    }

    /// The columns whose values are copied: those both tables have, except generated ones.
    public var copiedColumns: [String] {
        to.columns.filter { column in column.generated == nil && from.column(column.name).map { $0.generated == nil } == true }
            .map(\.name)
    }

    /// A column dropped or narrowed loses its values.
    public var isDestructive: Bool {
        from.columns.contains { old in
            guard let new = to.column(old.name) else { return old.generated == nil }
            return ColumnType.isNarrowing(from: old.type, to: new.type)
        }
    }

    var temporaryName: QualifiedName { QualifiedName(schema: to.name.schema, "strata_new_" + to.name.name) }

    /// Steps 4 to 8 of SQLite's procedure: the statements inside the transaction.
    func body() throws(SchemaChangeError) -> [SchemaStatement] {
        let sql = DefinitionSQL(flavor: .sqlite)
        var indexless = to
        indexless.indexes = []
        let columns = sql.quoteList(copiedColumns)
        return try sql.createTable(indexless, as: temporaryName) + [
            SchemaStatement("INSERT INTO \(sql.quote(temporaryName)) (\(columns))\n    SELECT \(columns) FROM \(sql.quote(from.name));"),
            SchemaStatement("DROP TABLE \(sql.quote(from.name));"),
            SchemaStatement("ALTER TABLE \(sql.quote(temporaryName)) RENAME TO \(sql.quote(to.name.name));"),
        ] + to.indexes.map { index throws(SchemaChangeError) in SchemaStatement(try sql.createIndex(index, on: to.name)) }
    }

    /// Statements wrapped in steps 1 and 10 to 12: foreign keys off before the transaction
    /// (inside one SQLite ignores the pragma), every foreign key checked before it commits
    /// (the insert fails the transaction when `PRAGMA foreign_key_check` reports a row), and
    /// foreign keys back on after it.
    static func withForeignKeysOff(_ body: [SchemaStatement]) -> [SchemaStatement] {
        [SchemaStatement("PRAGMA foreign_keys = OFF;", outsideTransaction: true)] + body + [
            SchemaStatement("CREATE TEMP TABLE strata_foreign_key_check (violations INTEGER CHECK (violations = 0));"),
            SchemaStatement("INSERT INTO strata_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check;"),
            SchemaStatement("DROP TABLE strata_foreign_key_check;"),
            SchemaStatement("PRAGMA foreign_keys = ON;", outsideTransaction: true),
        ]
    }

    /// Why SQLite's `ADD COLUMN` cannot add this column, or nil when it can.
    static func reasonToRebuild(adding column: Column) -> String? {
        if column.generated != nil { return "add the generated column \(column.name)" }
        if !column.nullable && column.defaultValue.map({ SQLNormalization.expression($0) == "null" }) ?? true {
            return "add the NOT NULL column \(column.name) without a default"
        }
        if let value = column.defaultValue, !SQLNormalization.isSQLiteDefaultLiteral(value)
            || value.lowercased().hasPrefix("current_") {
            return "add the column \(column.name) with the default \(value), which is not a constant"
        }
        return nil
    }
}
