/// A database schema as plain values: what introspection reads from a live database, what a
/// schema file or Swift code declares, and what `diff` compares. No I/O happens here.
///
/// Every collection is kept sorted by name (``normalized()``), so two schemas that hold the
/// same objects are equal and encode to the same JSON. Objects the model does not understand
/// in detail are carried as their definitions in ``others``, never dropped.
public struct Schema: Sendable, Hashable, Codable {
    /// Namespaces other than the engine's default one (PostgreSQL schemas).
    public var namespaces: [String]
    /// `COMMENT ON SCHEMA`, by namespace.
    public var namespaceComments: [String: String]
    /// PostgreSQL extensions (`CREATE EXTENSION`); the objects they make are not listed elsewhere.
    public var extensions: [Extension]
    /// PostgreSQL enum types.
    public var enums: [EnumType]
    /// PostgreSQL domains.
    public var domains: [Domain]
    /// PostgreSQL sequences, serial columns' among them; not identity columns' own.
    public var sequences: [Sequence]
    /// Ordinary and partitioned tables (not their partitions; not SQLite's virtual tables).
    public var tables: [Table]
    /// Views and materialized views.
    public var views: [View]
    /// PostgreSQL functions and procedures (not aggregates or window functions).
    public var routines: [Routine]
    /// Triggers, each with the statement that creates it.
    public var triggers: [Trigger]
    /// What the model does not describe in detail, carried as SQL: PostgreSQL's rules and
    /// exclusion constraints, SQLite's virtual tables.
    public var others: [OpaqueObject]

    public init(
        namespaces: [String] = [], extensions: [Extension] = [], enums: [EnumType] = [], domains: [Domain] = [],
        sequences: [Sequence] = [], tables: [Table] = [], views: [View] = [], routines: [Routine] = [],
        triggers: [Trigger] = [], others: [OpaqueObject] = [], namespaceComments: [String: String] = [:]
    ) {
        self.namespaces = namespaces
        self.namespaceComments = namespaceComments
        self.extensions = extensions
        self.enums = enums
        self.domains = domains
        self.sequences = sequences
        self.tables = tables
        self.views = views
        self.routines = routines
        self.triggers = triggers
        self.others = others
    }

    /// The empty schema: the starting point of `diff(empty → S)`.
    public static let empty = Schema()

    /// The table with this name (compared exactly), or nil.
    public func table(_ name: QualifiedName) -> Table? { tables.first { $0.name == name } }
    /// The view with this name (compared exactly), or nil.
    public func view(_ name: QualifiedName) -> View? { views.first { $0.name == name } }

    /// The same schema with every collection in name order.
    public func normalized() -> Schema {
        var copy = self
        copy.namespaces.sort()
        copy.extensions.sort { $0.name < $1.name }
        copy.enums.sort { $0.name < $1.name }
        copy.domains.sort { $0.name < $1.name }
        copy.sequences.sort { $0.name < $1.name }
        copy.tables = tables.map { $0.normalized() }.sorted { $0.name < $1.name }
        copy.views = views.map { view in
            var view = view
            view.indexes.sort { $0.name < $1.name }
            return view
        }.sorted { $0.name < $1.name }
        copy.routines.sort { ($0.name, $0.signature) < ($1.name, $1.signature) }
        copy.triggers.sort { ($0.table, $0.name) < ($1.table, $1.name) }
        copy.others.sort { ($0.kind, $0.name) < ($1.kind, $1.name) }
        return copy
    }
}

/// An object's name, with its namespace where the engine has them (nil: the default one).
public struct QualifiedName: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The namespace (a PostgreSQL schema); nil for the default one, as introspection reads
    /// names and declarations write them.
    public var schema: String?
    /// The object's own name, unquoted, as the engine stores it.
    public var name: String

    /// A name in `schema`, or in the default namespace: `QualifiedName(schema: "billing", "invoices")`.
    public init(schema: String? = nil, _ name: String) {
        self.schema = schema
        self.name = name
    }

    /// Namespace first (the default one before the others), then name.
    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }

    /// `schema.name`, or the bare name in the default namespace; unquoted.
    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}

/// A table: its columns in order, its constraints, and the indexes no constraint owns.
public struct Table: Sendable, Hashable, Codable {
    /// The table's name.
    public var name: QualifiedName
    /// In declaration order, which is part of a table's identity on both engines.
    public var columns: [Column]
    /// The primary key, or nil when the table has none.
    public var primaryKey: PrimaryKey?
    /// `UNIQUE` constraints; a unique index that no constraint owns is in ``indexes``.
    public var uniques: [UniqueConstraint]
    /// The table's foreign keys.
    public var foreignKeys: [ForeignKey]
    /// The table's `CHECK` constraints.
    public var checks: [CheckConstraint]
    /// Indexes no constraint owns (not those behind the primary key or a `UNIQUE` constraint).
    public var indexes: [Index]
    /// `COMMENT ON TABLE` (PostgreSQL only: SQLite keeps no comments).
    public var comment: String?
    /// SQLite: `WITHOUT ROWID`, `STRICT` and the like, as written after the column list.
    public var options: [String]

    public init(
        name: QualifiedName, columns: [Column], primaryKey: PrimaryKey? = nil, uniques: [UniqueConstraint] = [],
        foreignKeys: [ForeignKey] = [], checks: [CheckConstraint] = [], indexes: [Index] = [], comment: String? = nil,
        options: [String] = []
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniques = uniques
        self.foreignKeys = foreignKeys
        self.checks = checks
        self.indexes = indexes
        self.comment = comment
        self.options = options
    }

    /// The column with this name (compared exactly), or nil.
    public func column(_ name: String) -> Column? { columns.first { $0.name == name } }

    /// Constraints and indexes in name order (columns keep their order).
    public func normalized() -> Table {
        var copy = self
        copy.uniques.sort { ($0.name ?? "", $0.columns) .< ($1.name ?? "", $1.columns) }
        copy.foreignKeys.sort { ($0.name ?? "", $0.columns) .< ($1.name ?? "", $1.columns) }
        copy.checks.sort { ($0.name ?? "", $0.expression) < ($1.name ?? "", $1.expression) }
        copy.indexes.sort { $0.name < $1.name }
        return copy
    }
}

/// A table's column: its type, nullability, default, and identity or generated expression.
public struct Column: Sendable, Hashable, Codable {
    /// How an identity column (PostgreSQL only) takes its values.
    public enum Identity: String, Sendable, Hashable, Codable {
        /// `GENERATED ALWAYS AS IDENTITY`.
        case always
        /// `GENERATED BY DEFAULT AS IDENTITY`.
        case byDefault
    }

    /// The column's name, unquoted.
    public var name: String
    /// The type as the engine writes it back (`integer`, `character varying(20)`, `TEXT`).
    public var type: String
    /// False for `NOT NULL`.
    public var nullable: Bool
    /// The default expression as the engine writes it back, or nil.
    public var defaultValue: String?
    /// `GENERATED … AS IDENTITY` (PostgreSQL only), or nil for an ordinary column.
    public var identity: Identity?
    /// A generated column's expression (`GENERATED ALWAYS AS (…) STORED`).
    public var generated: String?
    /// SQLite: the generated column is computed when read (`VIRTUAL`, SQLite's default) rather
    /// than stored. PostgreSQL stores every generated column.
    public var generatedIsVirtual: Bool
    /// The `COLLATE` collation set on the column, or nil; PostgreSQL reports it only where it
    /// differs from the type's own.
    public var collation: String?
    /// `COMMENT ON COLUMN` (PostgreSQL only).
    public var comment: String?

    public init(
        name: String, type: String, nullable: Bool = true, defaultValue: String? = nil, identity: Identity? = nil,
        generated: String? = nil, generatedIsVirtual: Bool = false, collation: String? = nil, comment: String? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.identity = identity
        self.generated = generated
        self.generatedIsVirtual = generatedIsVirtual
        self.collation = collation
        self.comment = comment
    }
}

/// A table's primary key.
public struct PrimaryKey: Sendable, Hashable, Codable {
    /// The constraint's name; nil leaves the naming to the engine (PostgreSQL: `<table>_pkey`),
    /// and matches any name when `diff` compares keys.
    public var name: String?
    /// The key's columns, in key order.
    public var columns: [String]
    /// SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`, which never reuses a rowid (`sqlite_sequence`).
    public var autoincrement: Bool

    public init(name: String? = nil, columns: [String], autoincrement: Bool = false) {
        self.name = name
        self.columns = columns
        self.autoincrement = autoincrement
    }
}

/// A `UNIQUE` constraint.
public struct UniqueConstraint: Sendable, Hashable, Codable {
    /// The constraint's name; nil leaves the naming to the engine and matches any name in `diff`.
    public var name: String?
    /// The constrained columns, in order.
    public var columns: [String]
    /// When the constraint is checked.
    public var deferrable: Deferrability

    public init(name: String? = nil, columns: [String], deferrable: Deferrability = .notDeferrable) {
        self.name = name
        self.columns = columns
        self.deferrable = deferrable
    }
}

/// When a unique or foreign-key constraint is checked: after each statement (`notDeferrable`,
/// the default), or `DEFERRABLE INITIALLY IMMEDIATE` / `INITIALLY DEFERRED` (at commit).
public enum Deferrability: String, Sendable, Hashable, Codable {
    case notDeferrable
    case initiallyImmediate
    case initiallyDeferred
}

/// What a foreign key does to referencing rows when the row they reference is deleted or
/// updated; the raw value is the SQL.
public enum ReferentialAction: String, Sendable, Hashable, Codable {
    case noAction = "NO ACTION"
    case restrict = "RESTRICT"
    case cascade = "CASCADE"
    case setNull = "SET NULL"
    case setDefault = "SET DEFAULT"
}

/// A `FOREIGN KEY` constraint.
public struct ForeignKey: Sendable, Hashable, Codable {
    /// The constraint's name; nil leaves the naming to the engine (PostgreSQL:
    /// `<table>_<columns>_fkey`) and matches any name in `diff`.
    public var name: String?
    /// The referencing columns, in order.
    public var columns: [String]
    /// The table the key references.
    public var referencedTable: QualifiedName
    /// The referenced columns, paired with ``columns``; empty means the referenced table's
    /// primary key.
    public var referencedColumns: [String]
    /// `ON DELETE`: what happens to these rows when the referenced row is deleted.
    public var onDelete: ReferentialAction
    /// `ON UPDATE`: what happens to these rows when the referenced key changes.
    public var onUpdate: ReferentialAction
    /// When the constraint is checked.
    public var deferrable: Deferrability

    public init(
        name: String? = nil, columns: [String], referencedTable: QualifiedName, referencedColumns: [String],
        onDelete: ReferentialAction = .noAction, onUpdate: ReferentialAction = .noAction, deferrable: Deferrability = .notDeferrable
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.deferrable = deferrable
    }
}

/// A `CHECK` constraint, on a table or a domain.
public struct CheckConstraint: Sendable, Hashable, Codable {
    /// The constraint's name, or nil; PostgreSQL drops checks by name, so `diff` cannot drop an
    /// unnamed one (``SchemaChangeError/unnamedConstraint(table:constraint:)``).
    public var name: String?
    /// The boolean expression, without `CHECK ( … )`.
    public var expression: String

    public init(name: String? = nil, expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// An index that no constraint owns, on a table or a materialized view.
public struct Index: Sendable, Hashable, Codable {
    /// One part of an index key: a column or an expression, with its operator class and order.
    public struct Key: Sendable, Hashable, Codable {
        /// A column name, or an expression such as `lower(email)`.
        public var expression: String
        /// True when ``expression`` is a column name (written quoted), false for an expression
        /// (written in parentheses).
        public var isColumn: Bool
        /// An operator class other than the key's default (PostgreSQL only), e.g. `text_pattern_ops`.
        public var opclass: String?
        /// `DESC`.
        public var descending: Bool
        /// `NULLS FIRST` / `NULLS LAST` when it differs from the default for the order.
        public var nullsFirst: Bool?
        /// The key's `COLLATE`, or nil; PostgreSQL reports it only where it differs from the column's.
        public var collation: String?

        /// A column key by default; pass `isColumn: false` for an expression such as `lower(email)`.
        public init(_ expression: String, isColumn: Bool = true, opclass: String? = nil, descending: Bool = false,
                    nullsFirst: Bool? = nil, collation: String? = nil) {
            self.expression = expression
            self.isColumn = isColumn
            self.opclass = opclass
            self.descending = descending
            self.nullsFirst = nullsFirst
            self.collation = collation
        }
    }

    /// The index's name, unqualified: it lives in its table's namespace.
    public var name: String
    /// `CREATE UNIQUE INDEX`.
    public var unique: Bool
    /// The access method (`btree`, `gin`, `gist`…); nil for the engine's default.
    public var method: String?
    /// The key columns and expressions, in order.
    public var keys: [Key]
    /// `INCLUDE (…)` columns.
    public var include: [String]
    /// A partial index's `WHERE` expression.
    public var predicate: String?

    public init(name: String, unique: Bool = false, method: String? = nil, keys: [Key], include: [String] = [], predicate: String? = nil) {
        self.name = name
        self.unique = unique
        self.method = method
        self.keys = keys
        self.include = include
        self.predicate = predicate
    }
}

/// A view or materialized view, carried as its query.
public struct View: Sendable, Hashable, Codable {
    /// The view's name.
    public var name: QualifiedName
    /// The query, as the engine writes it back (`pg_get_viewdef`; SQLite's text after `AS`).
    public var definition: String
    /// `CREATE MATERIALIZED VIEW` (PostgreSQL only).
    public var materialized: Bool
    /// `COMMENT ON VIEW` (PostgreSQL only).
    public var comment: String?
    /// Tables and views it reads, so that changes to them drop and recreate it around them.
    public var dependsOn: [QualifiedName]
    /// A materialized view's indexes.
    public var indexes: [Index]

    public init(name: QualifiedName, definition: String, materialized: Bool = false, comment: String? = nil,
                dependsOn: [QualifiedName] = [], indexes: [Index] = []) {
        self.name = name
        self.definition = definition
        self.materialized = materialized
        self.comment = comment
        self.dependsOn = dependsOn
        self.indexes = indexes
    }
}

/// A PostgreSQL sequence and its `CREATE SEQUENCE` options.
public struct Sequence: Sendable, Hashable, Codable {
    /// The sequence's name.
    public var name: QualifiedName
    /// The value type, as the engine writes it back (`bigint`, `integer`, `smallint`).
    public var type: String
    /// `START WITH`.
    public var start: Int64
    /// `INCREMENT BY`.
    public var increment: Int64
    /// `MINVALUE`.
    public var minimum: Int64
    /// `MAXVALUE`.
    public var maximum: Int64
    /// `CACHE`: how many values a session takes at a time.
    public var cache: Int64
    /// `CYCLE`: wraps around at the limit instead of failing.
    public var cycle: Bool
    /// `table.column` for a sequence owned by a column (serial, identity).
    public var ownedBy: String?

    public init(name: QualifiedName, type: String = "bigint", start: Int64 = 1, increment: Int64 = 1, minimum: Int64 = 1,
                maximum: Int64 = Int64.max, cache: Int64 = 1, cycle: Bool = false, ownedBy: String? = nil) {
        self.name = name
        self.type = type
        self.start = start
        self.increment = increment
        self.minimum = minimum
        self.maximum = maximum
        self.cache = cache
        self.cycle = cycle
        self.ownedBy = ownedBy
    }
}

/// A PostgreSQL enum type.
public struct EnumType: Sendable, Hashable, Codable {
    /// The type's name.
    public var name: QualifiedName
    /// In their sort order, which is part of the type.
    public var values: [String]
    /// `COMMENT ON TYPE`.
    public var comment: String?

    public init(name: QualifiedName, values: [String], comment: String? = nil) {
        self.name = name
        self.values = values
        self.comment = comment
    }
}

/// A PostgreSQL domain: a base type with its own nullability, default and checks.
public struct Domain: Sendable, Hashable, Codable {
    /// The domain's name.
    public var name: QualifiedName
    /// The base type, as the engine writes it back (`numeric(10,2)`).
    public var type: String
    /// False for `NOT NULL`.
    public var nullable: Bool
    /// The default expression as the engine writes it back, or nil.
    public var defaultValue: String?
    /// The domain's `CHECK` constraints (expressions without `CHECK ( … )`, on `VALUE`).
    public var checks: [CheckConstraint]

    public init(name: QualifiedName, type: String, nullable: Bool = true, defaultValue: String? = nil, checks: [CheckConstraint] = []) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.checks = checks
    }
}

/// A PostgreSQL extension (`CREATE EXTENSION`).
public struct Extension: Sendable, Hashable, Codable {
    /// The extension's name (`pgcrypto`).
    public var name: String
    /// The schema it is created in (`WITH SCHEMA`); nil for the default namespace.
    public var schema: String?
    /// The version (`VERSION`); nil for the extension's default. `diff` updates an extension only
    /// when both schemas name a version.
    public var version: String?

    public init(name: String, schema: String? = nil, version: String? = nil) {
        self.name = name
        self.schema = schema
        self.version = version
    }
}

/// A function or procedure, carried as its full `CREATE OR REPLACE` definition.
public struct Routine: Sendable, Hashable, Codable {
    /// Whether it is a function or a procedure.
    public enum Kind: String, Sendable, Hashable, Codable { case function, procedure }

    /// The routine's name; overloads share it and differ by ``signature``.
    public var name: QualifiedName
    /// Function or procedure.
    public var kind: Kind
    /// The argument types that identify it among overloads (`integer, text`).
    public var signature: String
    /// `CREATE OR REPLACE FUNCTION …` as the engine writes it back (`pg_get_functiondef`).
    public var definition: String
    /// `COMMENT ON FUNCTION` or `PROCEDURE`.
    public var comment: String?

    public init(name: QualifiedName, kind: Kind = .function, signature: String, definition: String, comment: String? = nil) {
        self.name = name
        self.kind = kind
        self.signature = signature
        self.definition = definition
        self.comment = comment
    }
}

/// A trigger, carried as its full `CREATE TRIGGER` definition.
public struct Trigger: Sendable, Hashable, Codable {
    /// The trigger's name.
    public var name: String
    /// The table or view it fires on.
    public var table: QualifiedName
    /// `CREATE TRIGGER …` as the engine writes it back (`pg_get_triggerdef`; SQLite's stored text).
    public var definition: String

    public init(name: String, table: QualifiedName, definition: String) {
        self.name = name
        self.table = table
        self.definition = definition
    }
}

/// An object the model does not describe in detail (a rule, a policy, a cast…), carried as
/// the statement that creates it and the one that drops it, so it is compared and recreated
/// rather than lost.
public struct OpaqueObject: Sendable, Hashable, Codable {
    /// What it is, in words: `rule`, `exclusion constraint`, `virtual table`.
    public var kind: String
    /// Its name; one that belongs to a table is named `table.name` in the table's namespace.
    public var name: QualifiedName
    /// The statement that creates it.
    public var definition: String
    /// The statement that drops it.
    public var drop: String

    public init(kind: String, name: QualifiedName, definition: String, drop: String) {
        self.kind = kind
        self.name = name
        self.definition = definition
        self.drop = drop
    }
}

infix operator .<: ComparisonPrecedence

/// Orders (name, columns) pairs: by name, then column list.
func .< (lhs: (String, [String]), rhs: (String, [String])) -> Bool {
    if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
    return lhs.1.lexicographicallyPrecedes(rhs.1)
}
