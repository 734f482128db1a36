/// A desired schema written in Swift, as an app that keeps its schema in code (like Fluent's
/// models) declares it; `strata generate` then writes the migration that gets there.
///
/// ```swift
/// let schema = Schema {
///     EnumType(name: QualifiedName("order_status"), values: ["new", "paid", "shipped"])
///     TableDeclaration("authors") {
///         ColumnDeclaration("id", "bigint").notNull().primaryKey()
///         ColumnDeclaration("name", "text").notNull()
///     }
///     TableDeclaration("books") {
///         ColumnDeclaration("id", "bigint").notNull().primaryKey()
///         ColumnDeclaration("author_id", "bigint").notNull().references("authors", "id", onDelete: .cascade)
///         ColumnDeclaration("title", "text").notNull().unique()
///         Index(name: "books_title_lower", keys: [.init("lower(title)", isColumn: false)])
///         CheckConstraint(expression: "length(title) > 0")
///     }
///     View(name: QualifiedName("book_titles"), definition: "SELECT title FROM books", dependsOn: [QualifiedName("books")])
/// }
/// ```
extension Schema {
    /// A schema from the elements the closure lists, in name order (``normalized()``).
    public init(@SchemaBuilder _ content: () -> [any SchemaElement]) {
        var schema = Schema()
        for element in content() { element.add(to: &schema) }
        self = schema.normalized()
    }
}

/// Something a ``Schema`` declaration may hold.
public protocol SchemaElement {
    /// Adds itself to the right collection of `schema`.
    func add(to schema: inout Schema)
}

/// The result builder behind `Schema { … }`: it collects the ``SchemaElement`` values a
/// declaration lists, including those under `if`, `if`/`else` and `for`.
@resultBuilder
public enum SchemaBuilder {
    /// One element.
    public static func buildExpression(_ element: any SchemaElement) -> [any SchemaElement] { [element] }
    /// The elements of a block, in order.
    public static func buildBlock(_ parts: [any SchemaElement]...) -> [any SchemaElement] { parts.flatMap { $0 } }
    /// The elements a `for` loop produced.
    public static func buildArray(_ parts: [[any SchemaElement]]) -> [any SchemaElement] { parts.flatMap { $0 } }
    /// An `if` without `else`: its elements, or none.
    public static func buildOptional(_ part: [any SchemaElement]?) -> [any SchemaElement] { part ?? [] }
    /// The `if` branch of an `if`/`else`.
    public static func buildEither(first: [any SchemaElement]) -> [any SchemaElement] { first }
    /// The `else` branch of an `if`/`else`.
    public static func buildEither(second: [any SchemaElement]) -> [any SchemaElement] { second }
}

extension EnumType: SchemaElement {
    /// Adds the enum to ``Schema/enums``.
    public func add(to schema: inout Schema) { schema.enums.append(self) }
}

extension Domain: SchemaElement {
    /// Adds the domain to ``Schema/domains``.
    public func add(to schema: inout Schema) { schema.domains.append(self) }
}

extension Sequence: SchemaElement {
    /// Adds the sequence to ``Schema/sequences``.
    public func add(to schema: inout Schema) { schema.sequences.append(self) }
}

extension Extension: SchemaElement {
    /// Adds the extension to ``Schema/extensions``.
    public func add(to schema: inout Schema) { schema.extensions.append(self) }
}

extension View: SchemaElement {
    /// Adds the view to ``Schema/views``.
    public func add(to schema: inout Schema) { schema.views.append(self) }
}

extension Routine: SchemaElement {
    /// Adds the routine to ``Schema/routines``.
    public func add(to schema: inout Schema) { schema.routines.append(self) }
}

extension Trigger: SchemaElement {
    /// Adds the trigger to ``Schema/triggers``.
    public func add(to schema: inout Schema) { schema.triggers.append(self) }
}

extension Table: SchemaElement {
    /// Adds the table, as given, to ``Schema/tables``.
    public func add(to schema: inout Schema) { schema.tables.append(self) }
}

/// A table declared column by column; column-level keys and references become the table's
/// constraints, named as PostgreSQL would name them (`books_pkey`, `books_author_id_fkey`).
public struct TableDeclaration: SchemaElement {
    /// The table the declaration builds, constraints and indexes in name order.
    public let table: Table

    /// A table named `name` (in `schema`, nil: the default namespace) with the columns,
    /// constraints and indexes the closure lists.
    public init(_ name: String, schema: String? = nil, comment: String? = nil, @TableBuilder _ content: () -> [any TableElement]) {
        var table = Table(name: QualifiedName(schema: schema, name), columns: [], comment: comment)
        for element in content() { element.add(to: &table) }
        self.table = table.normalized()
    }

    /// Adds the built table to ``Schema/tables``.
    public func add(to schema: inout Schema) { schema.tables.append(table) }
}

/// Something a ``TableDeclaration`` may hold.
public protocol TableElement {
    /// Adds itself to the right part of `table`.
    func add(to table: inout Table)
}

/// The result builder behind `TableDeclaration(…) { … }`: it collects the ``TableElement``
/// values a table lists, including those under `if` and `for`.
@resultBuilder
public enum TableBuilder {
    /// One element.
    public static func buildExpression(_ element: any TableElement) -> [any TableElement] { [element] }
    /// The elements of a block, in order.
    public static func buildBlock(_ parts: [any TableElement]...) -> [any TableElement] { parts.flatMap { $0 } }
    /// The elements a `for` loop produced.
    public static func buildArray(_ parts: [[any TableElement]]) -> [any TableElement] { parts.flatMap { $0 } }
    /// An `if` without `else`: its elements, or none.
    public static func buildOptional(_ part: [any TableElement]?) -> [any TableElement] { part ?? [] }
}

extension Index: TableElement {
    /// Adds the index to ``Table/indexes``.
    public func add(to table: inout Table) { table.indexes.append(self) }
}

extension CheckConstraint: TableElement {
    /// Adds the check to ``Table/checks``.
    public func add(to table: inout Table) { table.checks.append(self) }
}

extension UniqueConstraint: TableElement {
    /// Adds the constraint to ``Table/uniques``.
    public func add(to table: inout Table) { table.uniques.append(self) }
}

extension ForeignKey: TableElement {
    /// Adds the foreign key to ``Table/foreignKeys``.
    public func add(to table: inout Table) { table.foreignKeys.append(self) }
}

extension PrimaryKey: TableElement {
    /// Makes this the table's primary key, replacing any other.
    public func add(to table: inout Table) { table.primaryKey = self }
}

/// A column and the single-column constraints declared on it.
public struct ColumnDeclaration: TableElement {
    /// The column as declared so far.
    public private(set) var column: Column
    private var isPrimaryKey = false
    private var isUnique = false
    private var reference: (table: QualifiedName, column: String, onDelete: ReferentialAction, onUpdate: ReferentialAction)?

    /// A nullable column of `type`, written as the engine takes it: `ColumnDeclaration("email", "text")`.
    public init(_ name: String, _ type: String) {
        column = Column(name: name, type: type)
    }

    /// `NOT NULL`.
    public func notNull() -> ColumnDeclaration { with { $0.column.nullable = false } }
    /// `DEFAULT expression`, with the expression as SQL text (`"now()"`, `"'new'"`).
    public func defaultValue(_ expression: String) -> ColumnDeclaration { with { $0.column.defaultValue = expression } }
    /// `GENERATED … AS IDENTITY` (PostgreSQL only); makes the column `NOT NULL`.
    public func identity(_ kind: Column.Identity = .byDefault) -> ColumnDeclaration { with { $0.column.identity = kind; $0.column.nullable = false } }
    /// `GENERATED ALWAYS AS (expression) STORED`.
    public func generated(_ expression: String) -> ColumnDeclaration { with { $0.column.generated = expression } }
    /// `COMMENT ON COLUMN` (PostgreSQL only).
    public func comment(_ text: String) -> ColumnDeclaration { with { $0.column.comment = text } }
    /// Makes the column the table's primary key (`<table>_pkey`) and `NOT NULL`.
    public func primaryKey() -> ColumnDeclaration { with { $0.isPrimaryKey = true; $0.column.nullable = false } }
    /// A `UNIQUE` constraint on the column alone (`<table>_<column>_key`).
    public func unique() -> ColumnDeclaration { with { $0.isUnique = true } }

    /// A foreign key from this column to `table.column` (`<table>_<column>_fkey`):
    /// `.references("authors", "id", onDelete: .cascade)`.
    public func references(
        _ table: String, _ column: String, schema: String? = nil,
        onDelete: ReferentialAction = .noAction, onUpdate: ReferentialAction = .noAction
    ) -> ColumnDeclaration {
        with { $0.reference = (QualifiedName(schema: schema, table), column, onDelete, onUpdate) }
    }

    /// Adds the column, then the constraints declared on it.
    public func add(to table: inout Table) {
        table.columns.append(column)
        let prefix = table.name.name + "_" + column.name
        if isPrimaryKey { table.primaryKey = PrimaryKey(name: table.name.name + "_pkey", columns: [column.name]) }
        if isUnique { table.uniques.append(UniqueConstraint(name: prefix + "_key", columns: [column.name])) }
        if let reference {
            table.foreignKeys.append(ForeignKey(
                name: prefix + "_fkey", columns: [column.name], referencedTable: reference.table, referencedColumns: [reference.column],
                onDelete: reference.onDelete, onUpdate: reference.onUpdate))
        }
    }

    private func with(_ change: (inout ColumnDeclaration) -> Void) -> ColumnDeclaration {
        var copy = self
        change(&copy)
        return copy
    }
}
