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
    public var extensions: [Extension]
    public var enums: [EnumType]
    public var domains: [Domain]
    public var sequences: [Sequence]
    public var tables: [Table]
    public var views: [View]
    public var routines: [Routine]
    public var triggers: [Trigger]
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

    public func table(_ name: QualifiedName) -> Table? { tables.first { $0.name == name } }
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
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, _ name: String) {
        self.schema = schema
        self.name = name
    }

    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}

public struct Table: Sendable, Hashable, Codable {
    public var name: QualifiedName
    /// In declaration order, which is part of a table's identity on both engines.
    public var columns: [Column]
    public var primaryKey: PrimaryKey?
    public var uniques: [UniqueConstraint]
    public var foreignKeys: [ForeignKey]
    public var checks: [CheckConstraint]
    public var indexes: [Index]
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

public struct Column: Sendable, Hashable, Codable {
    public enum Identity: String, Sendable, Hashable, Codable {
        /// `GENERATED ALWAYS AS IDENTITY`.
        case always
        /// `GENERATED BY DEFAULT AS IDENTITY`.
        case byDefault
    }

    public var name: String
    /// The type as the engine writes it back (`integer`, `character varying(20)`, `TEXT`).
    public var type: String
    public var nullable: Bool
    /// The default expression as the engine writes it back, or nil.
    public var defaultValue: String?
    public var identity: Identity?
    /// A generated column's expression (`GENERATED ALWAYS AS (…) STORED`).
    public var generated: String?
    /// SQLite: the generated column is computed when read (`VIRTUAL`, SQLite's default) rather
    /// than stored. PostgreSQL stores every generated column.
    public var generatedIsVirtual: Bool
    public var collation: String?
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

public struct PrimaryKey: Sendable, Hashable, Codable {
    public var name: String?
    public var columns: [String]
    /// SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`, which never reuses a rowid (`sqlite_sequence`).
    public var autoincrement: Bool

    public init(name: String? = nil, columns: [String], autoincrement: Bool = false) {
        self.name = name
        self.columns = columns
        self.autoincrement = autoincrement
    }
}

public struct UniqueConstraint: Sendable, Hashable, Codable {
    public var name: String?
    public var columns: [String]
    public var deferrable: Deferrability

    public init(name: String? = nil, columns: [String], deferrable: Deferrability = .notDeferrable) {
        self.name = name
        self.columns = columns
        self.deferrable = deferrable
    }
}

public enum Deferrability: String, Sendable, Hashable, Codable {
    case notDeferrable
    case initiallyImmediate
    case initiallyDeferred
}

public enum ReferentialAction: String, Sendable, Hashable, Codable {
    case noAction = "NO ACTION"
    case restrict = "RESTRICT"
    case cascade = "CASCADE"
    case setNull = "SET NULL"
    case setDefault = "SET DEFAULT"
}

public struct ForeignKey: Sendable, Hashable, Codable {
    public var name: String?
    public var columns: [String]
    public var referencedTable: QualifiedName
    public var referencedColumns: [String]
    public var onDelete: ReferentialAction
    public var onUpdate: ReferentialAction
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

public struct CheckConstraint: Sendable, Hashable, Codable {
    public var name: String?
    /// The boolean expression, without `CHECK ( … )`.
    public var expression: String

    public init(name: String? = nil, expression: String) {
        self.name = name
        self.expression = expression
    }
}

public struct Index: Sendable, Hashable, Codable {
    /// One part of an index key: a column or an expression, with its operator class and order.
    public struct Key: Sendable, Hashable, Codable {
        /// A column name, or an expression such as `lower(email)`.
        public var expression: String
        public var isColumn: Bool
        public var opclass: String?
        public var descending: Bool
        /// `NULLS FIRST` / `NULLS LAST` when it differs from the default for the order.
        public var nullsFirst: Bool?
        public var collation: String?

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

    public var name: String
    public var unique: Bool
    /// The access method (`btree`, `gin`, `gist`…); nil for the engine's default.
    public var method: String?
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

public struct View: Sendable, Hashable, Codable {
    public var name: QualifiedName
    /// The query, as the engine writes it back (`pg_get_viewdef`; SQLite's text after `AS`).
    public var definition: String
    public var materialized: Bool
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

public struct Sequence: Sendable, Hashable, Codable {
    public var name: QualifiedName
    public var type: String
    public var start: Int64
    public var increment: Int64
    public var minimum: Int64
    public var maximum: Int64
    public var cache: Int64
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

public struct EnumType: Sendable, Hashable, Codable {
    public var name: QualifiedName
    /// In their sort order, which is part of the type.
    public var values: [String]
    public var comment: String?

    public init(name: QualifiedName, values: [String], comment: String? = nil) {
        self.name = name
        self.values = values
        self.comment = comment
    }
}

public struct Domain: Sendable, Hashable, Codable {
    public var name: QualifiedName
    public var type: String
    public var nullable: Bool
    public var defaultValue: String?
    public var checks: [CheckConstraint]

    public init(name: QualifiedName, type: String, nullable: Bool = true, defaultValue: String? = nil, checks: [CheckConstraint] = []) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.checks = checks
    }
}

public struct Extension: Sendable, Hashable, Codable {
    public var name: String
    public var schema: String?
    public var version: String?

    public init(name: String, schema: String? = nil, version: String? = nil) {
        self.name = name
        self.schema = schema
        self.version = version
    }
}

/// A function or procedure, carried as its full `CREATE OR REPLACE` definition.
public struct Routine: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case function, procedure }

    public var name: QualifiedName
    public var kind: Kind
    /// The argument types that identify it among overloads (`integer, text`).
    public var signature: String
    /// `CREATE OR REPLACE FUNCTION …` as the engine writes it back (`pg_get_functiondef`).
    public var definition: String
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
    public var name: String
    public var table: QualifiedName
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
    public var kind: String
    public var name: QualifiedName
    public var definition: String
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
