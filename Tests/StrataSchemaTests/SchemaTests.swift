import StrataSchema
import Testing

/// The schema model's own rules.
@Suite struct SchemaTests {
    @Test func normalizedSchemasCompareByContentNotOrder() {
        let users = Table(name: QualifiedName("users"), columns: [Column(name: "id", type: "integer", nullable: false)],
                          indexes: [Index(name: "b", keys: [.init("id")]), Index(name: "a", keys: [.init("id")])])
        let first = Schema(tables: [users, Table(name: QualifiedName("accounts"), columns: [])]).normalized()
        let second = Schema(tables: [Table(name: QualifiedName("accounts"), columns: []), users]).normalized()
        #expect(first == second)
        #expect(first.tables.map(\.name.name) == ["accounts", "users"])
        #expect(first.table(QualifiedName("users"))?.indexes.map(\.name) == ["a", "b"])
    }
}

/// A schema declared in Swift gives the same values introspection would read.
@Suite struct SchemaDeclarationTests {
    @Test func columnConstraintsBecomeNamedTableConstraints() {
        let schema = Schema {
            EnumType(name: QualifiedName("status"), values: ["new", "done"])
            TableDeclaration("authors") {
                ColumnDeclaration("id", "bigint").identity().primaryKey()
                ColumnDeclaration("name", "text").notNull()
            }
            TableDeclaration("books") {
                ColumnDeclaration("id", "bigint").primaryKey()
                ColumnDeclaration("author_id", "bigint").notNull().references("authors", "id", onDelete: .cascade)
                ColumnDeclaration("isbn", "text").unique()
                ColumnDeclaration("status", "status").defaultValue("'new'::status")
                Index(name: "books_isbn_lower", keys: [.init("lower(isbn)", isColumn: false)], predicate: "isbn IS NOT NULL")
                CheckConstraint(name: "books_isbn_check", expression: "length(isbn) > 0")
            }
            View(name: QualifiedName("book_ids"), definition: "SELECT id FROM books", dependsOn: [QualifiedName("books")])
        }
        #expect(schema.tables.map(\.name.name) == ["authors", "books"])
        let books = schema.table(QualifiedName("books"))!
        #expect(books.columns.map(\.name) == ["id", "author_id", "isbn", "status"])
        #expect(books.primaryKey == PrimaryKey(name: "books_pkey", columns: ["id"]))
        #expect(books.uniques == [UniqueConstraint(name: "books_isbn_key", columns: ["isbn"])])
        #expect(books.foreignKeys == [ForeignKey(name: "books_author_id_fkey", columns: ["author_id"], referencedTable: QualifiedName("authors"),
                                                 referencedColumns: ["id"], onDelete: .cascade)])
        #expect(books.column("id")?.nullable == false && books.column("isbn")?.nullable == true)
        #expect(schema.table(QualifiedName("authors"))?.column("id")?.identity == .byDefault)
        #expect(schema.enums.count == 1 && schema.views.count == 1)
    }
}
