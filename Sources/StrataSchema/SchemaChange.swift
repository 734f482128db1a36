/// One change to a schema, as a value: what `diff` returns, what changelog readers will build,
/// and what renders to SQL for each engine (``statements(for:)``).
public enum SchemaChange: Sendable, Hashable {
    case createNamespace(String)
    case dropNamespace(String)
    case createExtension(Extension)
    case updateExtension(name: String, from: String?, to: String)
    case dropExtension(Extension)
    case createEnum(EnumType)
    /// A value added before `before` (nil: at the end). PostgreSQL cannot take one back out.
    case addEnumValue(type: QualifiedName, value: String, before: String?)
    case dropEnum(EnumType)
    case createDomain(Domain)
    case alterDomain(from: Domain, to: Domain)
    case dropDomain(Domain)
    case createSequence(Sequence)
    case alterSequence(from: Sequence, to: Sequence)
    case dropSequence(Sequence)
    /// The table with its columns and constraints, then its indexes and comments.
    case createTable(Table)
    case renameTable(from: QualifiedName, to: QualifiedName)
    case dropTable(Table)
    /// SQLite's rebuild of a table whose change `ALTER TABLE` cannot express.
    case rebuildTable(SQLiteTableRebuild)
    case addColumn(table: QualifiedName, Column)
    case renameColumn(table: QualifiedName, from: String, to: String)
    case dropColumn(table: QualifiedName, Column)
    /// `using` converts the old values (PostgreSQL's `USING`); nil casts them.
    case alterColumnType(table: QualifiedName, column: String, from: ColumnType, to: ColumnType, using: String? = nil)
    case alterColumnNullability(table: QualifiedName, column: String, nullable: Bool)
    case alterColumnDefault(table: QualifiedName, column: String, from: String?, to: String?)
    case alterColumnIdentity(table: QualifiedName, column: String, from: Column.Identity?, to: Column.Identity?)
    case addConstraint(table: QualifiedName, TableConstraint)
    case dropConstraint(table: QualifiedName, TableConstraint)
    case createIndex(table: QualifiedName, Index)
    case dropIndex(table: QualifiedName, Index)
    case createView(View)
    /// PostgreSQL's `CREATE OR REPLACE VIEW`, which keeps the view's dependents but not a change of its columns.
    case replaceView(from: View, to: View)
    case dropView(View)
    /// Creates a function or procedure (`from` nil) or replaces its definition.
    case replaceRoutine(from: Routine?, to: Routine)
    case dropRoutine(Routine)
    case createTrigger(Trigger)
    case dropTrigger(Trigger)
    case setComment(CommentTarget, from: String?, to: String?)
    case createOpaque(OpaqueObject)
    case dropOpaque(OpaqueObject)

    /// The change that undoes this one, or nil when there is none (an enum value cannot be
    /// removed). Undoing a drop recreates the whole object, but not the data it held.
    public var inverse: SchemaChange? {
        switch self {
        case .createNamespace(let name): .dropNamespace(name)
        case .dropNamespace(let name): .createNamespace(name)
        case .createExtension(let object): .dropExtension(object)
        case .updateExtension(let name, let from, let to): from.map { .updateExtension(name: name, from: to, to: $0) }
        case .dropExtension(let object): .createExtension(object)
        case .createEnum(let type): .dropEnum(type)
        case .addEnumValue: nil
        case .dropEnum(let type): .createEnum(type)
        case .createDomain(let domain): .dropDomain(domain)
        case .alterDomain(let from, let to): .alterDomain(from: to, to: from)
        case .dropDomain(let domain): .createDomain(domain)
        case .createSequence(let sequence): .dropSequence(sequence)
        case .alterSequence(let from, let to): .alterSequence(from: to, to: from)
        case .dropSequence(let sequence): .createSequence(sequence)
        case .createTable(let table): .dropTable(table)
        case .renameTable(let from, let to): .renameTable(from: to, to: from)
        case .dropTable(let table): .createTable(table)
        case .rebuildTable(let rebuild): .rebuildTable(SQLiteTableRebuild(from: rebuild.to, to: rebuild.from))
        case .addColumn(let table, let column): .dropColumn(table: table, column)
        case .renameColumn(let table, let from, let to): .renameColumn(table: table, from: to, to: from)
        case .dropColumn(let table, let column): .addColumn(table: table, column)
        case .alterColumnType(let table, let column, let from, let to, _):
            .alterColumnType(table: table, column: column, from: to, to: from)
        case .alterColumnNullability(let table, let column, let nullable):
            .alterColumnNullability(table: table, column: column, nullable: !nullable)
        case .alterColumnDefault(let table, let column, let from, let to):
            .alterColumnDefault(table: table, column: column, from: to, to: from)
        case .alterColumnIdentity(let table, let column, let from, let to):
            .alterColumnIdentity(table: table, column: column, from: to, to: from)
        case .addConstraint(let table, let constraint): .dropConstraint(table: table, constraint)
        case .dropConstraint(let table, let constraint): .addConstraint(table: table, constraint)
        case .createIndex(let table, let index): .dropIndex(table: table, index)
        case .dropIndex(let table, let index): .createIndex(table: table, index)
        case .createView(let view): .dropView(view)
        case .replaceView(let from, let to): .replaceView(from: to, to: from)
        case .dropView(let view): .createView(view)
        case .replaceRoutine(let from, let to): from.map { .replaceRoutine(from: to, to: $0) } ?? .dropRoutine(to)
        case .dropRoutine(let routine): .replaceRoutine(from: nil, to: routine)
        case .createTrigger(let trigger): .dropTrigger(trigger)
        case .dropTrigger(let trigger): .createTrigger(trigger)
        case .setComment(let target, let from, let to): .setComment(target, from: to, to: from)
        case .createOpaque(let object): .dropOpaque(object)
        case .dropOpaque(let object): .createOpaque(object)
        }
    }

    /// Whether applying it loses data: a dropped table or stored column, or a narrower column type.
    /// `generate` marks such changes in the migration it writes.
    public var isDestructive: Bool {
        switch self {
        case .dropTable: true
        case .dropColumn(_, let column): column.generated == nil
        case .alterColumnType(_, _, let from, let to, _): ColumnType.isNarrowing(from: from.type, to: to.type)
        case .rebuildTable(let rebuild): rebuild.isDestructive
        default: false
        }
    }
}

/// A column's type with its collation, which PostgreSQL changes together.
public struct ColumnType: Sendable, Hashable {
    /// The type as written (`varchar(20)`).
    public var type: String
    /// The `COLLATE` collation, or nil for the type's default.
    public var collation: String?

    public init(_ type: String, collation: String? = nil) {
        self.type = type
        self.collation = collation
    }

    /// A column's type and collation.
    public init(of column: Column) {
        self.init(column.type, collation: column.collation)
    }
}

/// A table constraint added or dropped on its own.
public enum TableConstraint: Sendable, Hashable {
    case primaryKey(PrimaryKey)
    case unique(UniqueConstraint)
    case foreignKey(ForeignKey)
    case check(CheckConstraint)
}

/// What a `COMMENT ON` names.
public enum CommentTarget: Sendable, Hashable {
    case namespace(String)
    case table(QualifiedName)
    case column(table: QualifiedName, column: String)
    case view(QualifiedName, materialized: Bool)
    case type(QualifiedName)
    /// A function or procedure, named with its argument types (``Routine/signature``).
    case routine(QualifiedName, signature: String, kind: Routine.Kind)
}
