/// What a statement does, in the terms the rules ask about: the parts of PostgreSQL's parse
/// tree that decide locks, scans and rewrites, with everything else left in ``LintStatement/tree``.
package enum StatementKind: Sendable, Equatable {
    case createTable(Relation, columns: [ColumnDefinition], constraints: [TableConstraint])
    case alterTable(Relation, [AlterCommand])
    case createIndex(IndexDefinition)
    case drop(DropKind, [Relation], concurrently: Bool)
    case renameColumn(Relation, from: String, to: String)
    case renameTable(Relation, to: String)
    /// `onIndex`: REINDEX INDEX, which names the index; otherwise a table, schema or database.
    case reindex(target: String, onIndex: Bool, concurrently: Bool)
    case vacuum(full: Bool, tables: [Relation])
    case cluster(Relation?)
    case truncate([Relation], cascade: Bool)
    case addEnumValue(type: String)
    case transaction(TransactionControl)
    /// Any other statement, by its node type (`"InsertStmt"`).
    case other(String)
}

/// A table (or index) as the statement names it; libpg_query has already folded unquoted names.
package struct Relation: Sendable, Hashable, CustomStringConvertible {
    package let schema: String?
    package let name: String

    package init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    /// The name as SQL writes it, quoted where it has to be.
    package var description: String {
        (schema.map { SQLName.quoted($0) + "." } ?? "") + SQLName.quoted(name)
    }
}

package enum DropKind: Sendable, Equatable {
    case table, index, other
}

package enum TransactionControl: Sendable, Equatable {
    case begin, commit, rollback, other
}

/// A column as `CREATE TABLE` or `ADD COLUMN` defines it.
package struct ColumnDefinition: Sendable, Equatable {
    package var name: String
    package var type: ColumnType
    package var notNull = false
    package var defaultValue: ParseNode?
    package var generatedStored = false
    package var identity = false
    package var primaryKey = false
    package var unique = false
    /// An inline `REFERENCES`.
    package var references: Relation?
}

/// A table constraint, inline or in `ADD CONSTRAINT`.
package struct TableConstraint: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case primaryKey, unique, foreignKey, check, exclusion, other
    }

    package var kind: Kind
    package var name: String?
    /// The constrained columns (the referencing ones for a foreign key).
    package var columns: [String] = []
    /// `USING INDEX name` for a primary key or unique constraint.
    package var usingIndex: String?
    package var notValid = false
    package var referencedTable: Relation?
    package var referencedColumns: [String] = []
    /// `ON UPDATE` and `ON DELETE` as SQL (`CASCADE`), nil for NO ACTION.
    package var onUpdate: String?
    package var onDelete: String?
    /// For CHECK: the expression's text as the migration writes it.
    package var expression: String?
    /// For `CHECK (column IS NOT NULL)`: the column, whose SET NOT NULL it lets skip the scan.
    package var notNullColumn: String?
}

/// One subcommand of `ALTER TABLE`.
package enum AlterCommand: Sendable, Equatable {
    case addColumn(ColumnDefinition)
    case dropColumn(String)
    case alterType(column: String, to: ColumnType)
    case setNotNull(String)
    case addConstraint(TableConstraint)
    case validateConstraint(String)
    /// Any other subcommand, by libpg_query's name for it (`"AT_SetStatistics"`).
    case other(String)
}

/// `CREATE INDEX`.
package struct IndexDefinition: Sendable, Equatable {
    package var name: String?
    package var table: Relation
    package var unique: Bool
    package var concurrently: Bool
    /// The key's columns; nil for an expression.
    package var columns: [String?]
    package var partial: Bool
}

/// A statement of a migration: where it is, its text, its tree and what it does.
package struct LintStatement: Sendable, Equatable {
    package let line: Int
    package let text: String
    package let tree: ParseNode
    package let kind: StatementKind
}
