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
    public init(@SchemaBuilder _ content: () -> [any SchemaElement]) {
        var schema = Schema()
        for element in content() { element.add(to: &schema) }
        self = schema.normalized()
    }
}

/// Something a ``Schema`` declaration may hold.
public protocol SchemaElement {
    func add(to schema: inout Schema)
}

@resultBuilder
public enum SchemaBuilder {
    public static func buildExpression(_ element: any SchemaElement) -> [any SchemaElement] { [element] }
    public static func buildBlock(_ parts: [any SchemaElement]...) -> [any SchemaElement] { parts.flatMap { $0 } }
    public static func buildArray(_ parts: [[any SchemaElement]]) -> [any SchemaElement] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any SchemaElement]?) -> [any SchemaElement] { part ?? [] }
    public static func buildEither(first: [any SchemaElement]) -> [any SchemaElement] { first }
    public static func buildEither(second: [any SchemaElement]) -> [any SchemaElement] { second }
}

extension EnumType: SchemaElement {
    public func add(to schema: inout Schema) { schema.enums.append(self) }
}

extension Domain: SchemaElement {
    public func add(to schema: inout Schema) { schema.domains.append(self) }
}

extension Sequence: SchemaElement {
    public func add(to schema: inout Schema) { schema.sequences.append(self) }
}

extension Extension: SchemaElement {
    public func add(to schema: inout Schema) { schema.extensions.append(self) }
}

extension View: SchemaElement {
    public func add(to schema: inout Schema) { schema.views.append(self) }
}

extension Routine: SchemaElement {
    public func add(to schema: inout Schema) { schema.routines.append(self) }
}

extension Trigger: SchemaElement {
    public func add(to schema: inout Schema) { schema.triggers.append(self) }
}

extension Table: SchemaElement {
    public func add(to schema: inout Schema) { schema.tables.append(self) }
}

/// A table declared column by column; column-level keys and references become the table's
/// constraints, named as PostgreSQL would name them (`books_pkey`, `books_author_id_fkey`).
public struct TableDeclaration: SchemaElement {
    public let table: Table

    public init(_ name: String, schema: String? = nil, comment: String? = nil, @TableBuilder _ content: () -> [any TableElement]) {
        var table = Table(name: QualifiedName(schema: schema, name), columns: [], comment: comment)
        for element in content() { element.add(to: &table) }
        self.table = table.normalized()
    }

    public func add(to schema: inout Schema) { schema.tables.append(table) }
}

/// Something a ``TableDeclaration`` may hold.
public protocol TableElement {
    func add(to table: inout Table)
}

@resultBuilder
public enum TableBuilder {
    public static func buildExpression(_ element: any TableElement) -> [any TableElement] { [element] }
    public static func buildBlock(_ parts: [any TableElement]...) -> [any TableElement] { parts.flatMap { $0 } }
    public static func buildArray(_ parts: [[any TableElement]]) -> [any TableElement] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any TableElement]?) -> [any TableElement] { part ?? [] }
}

extension Index: TableElement {
    public func add(to table: inout Table) { table.indexes.append(self) }
}

extension CheckConstraint: TableElement {
    public func add(to table: inout Table) { table.checks.append(self) }
}

extension UniqueConstraint: TableElement {
    public func add(to table: inout Table) { table.uniques.append(self) }
}

extension ForeignKey: TableElement {
    public func add(to table: inout Table) { table.foreignKeys.append(self) }
}

extension PrimaryKey: TableElement {
    public func add(to table: inout Table) { table.primaryKey = self }
}

/// A column and the single-column constraints declared on it.
public struct ColumnDeclaration: TableElement {
    public private(set) var column: Column
    private var isPrimaryKey = false
    private var isUnique = false
    private var reference: (table: QualifiedName, column: String, onDelete: ReferentialAction, onUpdate: ReferentialAction)?

    public init(_ name: String, _ type: String) {
        column = Column(name: name, type: type)
    }

    public func notNull() -> ColumnDeclaration { with { $0.column.nullable = false } }
    public func defaultValue(_ expression: String) -> ColumnDeclaration { with { $0.column.defaultValue = expression } }
    public func identity(_ kind: Column.Identity = .byDefault) -> ColumnDeclaration { with { $0.column.identity = kind; $0.column.nullable = false } }
    public func generated(_ expression: String) -> ColumnDeclaration { with { $0.column.generated = expression } }
    public func comment(_ text: String) -> ColumnDeclaration { with { $0.column.comment = text } }
    public func primaryKey() -> ColumnDeclaration { with { $0.isPrimaryKey = true; $0.column.nullable = false } }
    public func unique() -> ColumnDeclaration { with { $0.isUnique = true } }

    public func references(
        _ table: String, _ column: String, schema: String? = nil,
        onDelete: ReferentialAction = .noAction, onUpdate: ReferentialAction = .noAction
    ) -> ColumnDeclaration {
        with { $0.reference = (QualifiedName(schema: schema, table), column, onDelete, onUpdate) }
    }

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
