import Foundation
import Strata
import StrataSchema
import StrataSQLite
import StrataTestSupport
import Testing

/// SQLite introspection on real files: every kind of object the bookshop schema holds.
@Suite struct SQLiteIntrospectionTests {
    let folder = TemporaryFolder()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func bookshop() throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: folder.file("bookshop.db"))
        try database.executeScript(try String(contentsOf: Self.fixtures.appendingPathComponent("schemas/bookshop.sqlite.sql"), encoding: .utf8))
        return database
    }

    private func introspect(_ database: SQLiteDatabase, excluding: [QualifiedName] = []) throws -> Schema {
        try database.introspectSchema(namespaces: [], excluding: excluding)
    }

    @Test func tablesColumnsAndKeys() throws {
        let schema = try introspect(try bookshop())
        #expect(schema.tables.map(\.name.name) == ["authors", "books", "customers", "order_items", "orders", "publishers", "reviews"])
        let authors = try #require(schema.table(QualifiedName("authors")))
        #expect(authors.columns.map(\.name) == ["id", "name", "birth_year", "created_at"])
        #expect(authors.primaryKey == PrimaryKey(columns: ["id"], autoincrement: true))
        #expect(authors.column("name") == Column(name: "name", type: "TEXT", nullable: false, collation: "NOCASE"))
        #expect(authors.column("created_at")?.defaultValue == "CURRENT_TIMESTAMP")
        #expect(authors.uniques == [UniqueConstraint(name: "authors_name_unique", columns: ["name"])])
        #expect(authors.checks == [CheckConstraint(expression: "birth_year BETWEEN 1000 AND 2100")])

        let books = try #require(schema.table(QualifiedName("books")))
        #expect(books.column("price") == Column(name: "price", type: "REAL", generated: "price_cents / 100.0", generatedIsVirtual: true))
        #expect(books.column("title_length")?.generated == "length(title)")
        #expect(books.column("title_length")?.generatedIsVirtual == false)
        #expect(books.column("price_cents")?.defaultValue == "0")
        #expect(books.checks == [CheckConstraint(expression: "length(title) > 0"), CheckConstraint(name: "price_not_negative", expression: "price_cents >= 0")])

        let items = try #require(schema.table(QualifiedName("order_items")))
        #expect(items.primaryKey == PrimaryKey(columns: ["order_id", "book_id"]))
        #expect(items.options == ["WITHOUT ROWID"])
        #expect(schema.table(QualifiedName("customers"))?.options == ["STRICT"])
        #expect(schema.table(QualifiedName("publishers"))?.uniques == [UniqueConstraint(columns: ["name"])])
        #expect(schema.table(QualifiedName("reviews"))?.uniques == [UniqueConstraint(columns: ["book_id", "id"])])
    }

    @Test func foreignKeysWithActionsNamesAndDeferrability() throws {
        let schema = try introspect(try bookshop())
        #expect(schema.table(QualifiedName("books"))?.foreignKeys == [
            ForeignKey(columns: ["author_id"], referencedTable: QualifiedName("authors"), referencedColumns: ["id"], onDelete: .cascade),
            ForeignKey(columns: ["publisher"], referencedTable: QualifiedName("publishers"), referencedColumns: ["code"],
                       onDelete: .setNull, onUpdate: .cascade, deferrable: .initiallyDeferred),
        ])
        #expect(schema.table(QualifiedName("order_items"))?.foreignKeys == [
            ForeignKey(columns: ["book_id"], referencedTable: QualifiedName("books"), referencedColumns: ["id"]),
            ForeignKey(columns: ["order_id"], referencedTable: QualifiedName("orders"), referencedColumns: ["id"],
                       onDelete: .cascade, deferrable: .initiallyImmediate),
        ])
        #expect(schema.table(QualifiedName("orders"))?.foreignKeys == [
            ForeignKey(name: "orders_customer_fk", columns: ["customer_id"], referencedTable: QualifiedName("customers"),
                       referencedColumns: ["id"], onDelete: .restrict),
        ])
    }

    @Test func indexesPartialExpressionAndCollated() throws {
        let schema = try introspect(try bookshop())
        #expect(schema.table(QualifiedName("books"))?.indexes == [
            Index(name: "books_isbn", unique: true, keys: [.init("isbn")], predicate: "isbn IS NOT NULL"),
            Index(name: "books_language", keys: [.init("language", collation: "NOCASE")]),
            Index(name: "books_title_lower", keys: [.init("lower(title)", isColumn: false), .init("author_id", descending: true)]),
        ])
        #expect(schema.table(QualifiedName("customers"))?.indexes == [
            Index(name: "customers_email", unique: true, keys: [.init("lower(email)", isColumn: false)]),
        ])
        #expect(schema.table(QualifiedName("orders"))?.indexes.first?.predicate == "status = 'open'")
        #expect(schema.table(QualifiedName("authors"))?.indexes == [], "constraint indexes are constraints, not indexes")
    }

    @Test func viewsTriggersAndVirtualTables() throws {
        let schema = try introspect(try bookshop())
        #expect(schema.views.map(\.name.name) == ["book_catalog", "rated_catalog"])
        #expect(schema.views[0].definition.hasPrefix("SELECT b.id, b.title"))
        #expect(schema.views[0].dependsOn == [QualifiedName("authors"), QualifiedName("books")])
        #expect(schema.views[1].dependsOn == [QualifiedName("book_catalog"), QualifiedName("reviews")])
        #expect(schema.triggers.map(\.name) == ["books_title_search", "orders_no_delete_paid"])
        #expect(schema.triggers[1].table == QualifiedName("orders"))
        #expect(schema.triggers[1].definition.hasPrefix("CREATE TRIGGER orders_no_delete_paid BEFORE DELETE ON orders"))
        #expect(schema.others.map(\.kind) == ["virtual table"], "the virtual table's shadow tables belong to it")
        #expect(schema.others.first?.definition == "CREATE VIRTUAL TABLE book_search USING fts5(title, body)")
    }

    @Test func quotedNamesAndConstraintsInOddPlaces() throws {
        let database = try SQLiteDatabase(path: folder.file("odd.db"))
        try database.executeScript("""
            CREATE TABLE "order" ("a""b" TEXT CONSTRAINT "not empty" CHECK ("a""b" <> '') DEFAULT 'CHECK (x)',
                                  [group] INTEGER REFERENCES "order" NOT NULL, `when` TEXT COLLATE RTRIM,
                                  CONSTRAINT pk PRIMARY KEY ("a""b"));
            CREATE VIEW "select" (x) AS SELECT "a""b" FROM main."order";
            """)
        let schema = try introspect(database)
        let table = try #require(schema.table(QualifiedName("order")))
        #expect(table.columns.map(\.name) == ["a\"b", "group", "when"])
        #expect(table.checks == [CheckConstraint(name: "not empty", expression: "\"a\"\"b\" <> ''")])
        #expect(table.primaryKey == PrimaryKey(name: "pk", columns: ["a\"b"]))
        #expect(table.column("when")?.collation == "RTRIM")
        #expect(table.foreignKeys.first?.referencedColumns == ["a\"b"])
        #expect(schema.views.first?.definition == "SELECT \"a\"\"b\" FROM main.\"order\"")
        #expect(schema.views.first?.dependsOn == [QualifiedName("order")])
    }

    @Test func parenthesesAroundAWholeIndexKeyAreNotPartOfIt() throws {
        let database = try SQLiteDatabase(path: folder.file("keys.db"))
        try database.executeScript("CREATE TABLE t (a TEXT, b TEXT); CREATE INDEX t_keys ON t (((lower(a))), (a || b), (b) DESC);")
        #expect(try introspect(database).table(QualifiedName("t"))?.indexes.first?.keys == [
            .init("lower(a)", isColumn: false), .init("a || b", isColumn: false), .init("b", descending: true),
        ])
    }

    @Test func theHistoryTableAndItsIndexAreLeftOut() throws {
        let path = folder.file("migrated.db")
        let examples = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/bookshop/migrations")
        try Migrator(database: try SQLiteDatabase(path: path), catalog: try LocationReader.read(locations: [examples.path])).migrate()
        let schema = try introspect(try SQLiteDatabase(path: path), excluding: [QualifiedName("strata_schema_history")])
        #expect(!schema.tables.isEmpty)
        #expect(!schema.tables.contains { $0.name.name.hasPrefix("strata_") || $0.name.name.hasPrefix("sqlite_") })
        #expect(!schema.tables.flatMap(\.indexes).contains { $0.name.hasPrefix("strata_") })
        #expect(try introspect(try SQLiteDatabase(path: path)).table(QualifiedName("strata_schema_history")) != nil)
    }

    @Test func twoIntrospectionsAreEqualAndEncodeToTheSameBytes() throws {
        let database = try bookshop()
        let first = try introspect(database), second = try introspect(database)
        #expect(first == second)
        #expect(first == first.normalized())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(first) == (try encoder.encode(second)))
    }
}
