/// Renames the diff cannot see: without them a renamed table or column is a drop and an add.
public struct SchemaRenames: Sendable, Hashable {
    /// Old table name → new table name.
    public var tables: [QualifiedName: QualifiedName]
    /// New table name → (old column name → new column name).
    public var columns: [QualifiedName: [String: String]]

    public init(tables: [QualifiedName: QualifiedName] = [:], columns: [QualifiedName: [String: String]] = [:]) {
        self.tables = tables
        self.columns = columns
    }
}

/// A column dropped and another of the same type added in one table: perhaps a rename,
/// which ``SchemaRenames`` would make one instead of losing the column's values.
public struct PossibleRename: Sendable, Hashable, CustomStringConvertible {
    /// The table, by its new name.
    public var table: QualifiedName
    /// The dropped column.
    public var from: String
    /// The added column, of the same type.
    public var to: String

    public init(table: QualifiedName, from: String, to: String) {
        self.table = table
        self.from = from
        self.to = to
    }

    /// `table.from → to`.
    public var description: String { "\(table).\(from) → \(to)" }
}

/// The changes that take one schema to another, in an order the engine can apply.
public struct SchemaDiff: Sendable, Hashable {
    /// The engine the changes are written for.
    public var flavor: SQLFlavor
    /// The changes, in the order they must run.
    public var changes: [SchemaChange]
    /// Dropped and added columns that may be renames, to warn about: ``changes`` drops and adds them.
    public var possibleRenames: [PossibleRename]

    public init(flavor: SQLFlavor, changes: [SchemaChange], possibleRenames: [PossibleRename] = []) {
        self.flavor = flavor
        self.changes = changes
        self.possibleRenames = possibleRenames
    }

    /// True when the two schemas need no change.
    public var isEmpty: Bool { changes.isEmpty }

    /// The changes as SQL for ``flavor``.
    /// - Throws: ``SchemaChangeError`` for a change the engine cannot make.
    public func script() throws(SchemaChangeError) -> SchemaScript {
        try SchemaScript(changes: changes, flavor: flavor)
    }

    /// The changes that undo these, in reverse order; nil when one of them has no inverse.
    public var inverse: SchemaDiff? {
        var undo: [SchemaChange] = []
        for change in changes.reversed() {
            guard let inverse = change.inverse else { return nil }
            undo.append(inverse)
        }
        return SchemaDiff(flavor: flavor, changes: undo)
    }
}

/// The changes that take `from` to `to` on `flavor`, in dependency order: namespaces,
/// extensions, types and functions before the tables that use them; foreign keys after every
/// table exists (so cycles work) and dropped before the tables they reference; views dropped
/// before a change to what they read and recreated after, views on views in order; triggers
/// after their functions. On SQLite, a table change `ALTER TABLE` cannot make is a rebuild.
///
/// Texts are compared as the engine writes them back (case and spacing outside quotes, type
/// aliases, PostgreSQL's implied NOT NULL on key columns), so diffing again after applying the
/// result finds nothing. Comments are ignored on SQLite, which does not keep them.
public func diff(from: Schema, to: Schema, flavor: SQLFlavor, renames: SchemaRenames = SchemaRenames()) throws(SchemaChangeError) -> SchemaDiff {
    try SchemaDiffer(from: from, to: to, flavor: flavor, renames: renames).diff()
}

/// The whole schema as SQL in dependency order, one statement per line group: what
/// `strata schema dump` prints. The same schema always gives the same text.
public func render(_ schema: Schema, flavor: SQLFlavor) throws(SchemaChangeError) -> String {
    try diff(from: .empty, to: schema, flavor: flavor).script().text
}
