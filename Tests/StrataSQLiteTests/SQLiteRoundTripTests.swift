import Foundation
import SchemaTestSupport
import Strata
import StrataSchema
import StrataSQLite
import StrataTestSupport
import Testing

/// The bookshop through render and diff on real SQLite databases: what introspection reads
/// after applying the SQL is the schema that was asked for, and a second diff finds nothing.
@Suite struct SQLiteRoundTripTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let history = QualifiedName("strata_schema_history")

    private func fixture(_ name: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/schemas/\(name)"), encoding: .utf8)
    }

    private func database(_ script: String = "") throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.executeScript(script)
        return database
    }

    private func introspect(_ database: SQLiteDatabase) throws -> Schema {
        try database.introspectSchema(namespaces: [], excluding: [Self.history])
    }

    /// Applies `script` as Strata's executor would: a migration with its history row.
    private func migrate(_ database: SQLiteDatabase, _ scripts: [String]) throws {
        let folder = TemporaryFolder()
        for (number, script) in scripts.enumerated() { folder.write("m/V\(number + 1)__step.sql", script) }
        try Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")])).migrate()
    }

    @Test func theRenderedBookshopLoadsAsTheSameSchema() throws {
        let schema = try introspect(try database(try fixture("bookshop.sqlite.sql")))
        #expect(schema.tables.count == 7 && schema.views.count == 2 && schema.triggers.count == 2)
        let rendered = try database(try render(schema, flavor: .sqlite))
        #expect(differences(try introspect(rendered), schema) == [])
        #expect(try diff(from: try introspect(rendered), to: schema, flavor: .sqlite).isEmpty)
    }

    @Test func theBookshopMigrationsReplayedRenderToTheSameSchema() throws {
        let replayed = try database()
        try Migrator(database: replayed, catalog: try LocationReader.read(locations: [Self.root.appendingPathComponent("Examples/bookshop/migrations").path]))
            .migrate()
        let schema = try introspect(replayed)
        #expect(!schema.tables.isEmpty)
        let rendered = try database()
        try migrate(rendered, [try render(schema, flavor: .sqlite)])
        #expect(differences(try introspect(rendered), schema) == [])
    }

    @Test func aYearOfChangesAppliesAndUndoes() throws {
        let before = try introspect(try database(try fixture("bookshop.sqlite.sql")))
        let after = try introspect(try database(try fixture("bookshop.v2.sqlite.sql")))
        let renames = SchemaRenames(columns: [QualifiedName("books"): ["isbn": "isbn13"]])
        let forward = try diff(from: before, to: after, flavor: .sqlite, renames: renames)
        #expect(forward.changes.contains { if case .rebuildTable = $0 { true } else { false } })

        let live = try database()
        let rows = """
            INSERT INTO authors (name) VALUES ('Le Guin');
            INSERT INTO books (id, author_id, title, isbn) VALUES (1, 1, 'The Dispossessed', '978-0060512750');
            INSERT INTO customers VALUES (1, 'a@example.org', 'Ann');
            INSERT INTO orders (id, customer_id) VALUES (1, 1);
            INSERT INTO order_items VALUES (1, 1, 2);
            INSERT INTO reviews (id, book_id, rating) VALUES (1, 1, 5);
            """
        try migrate(live, [try fixture("bookshop.sqlite.sql") + rows, try forward.script().text])
        #expect(differences(try introspect(live), after) == [])
        #expect(try diff(from: try introspect(live), to: after, flavor: .sqlite).isEmpty)
        #expect(try live.query("SELECT isbn13 FROM books", []).first?[0].string == "978-0060512750", "the renamed column keeps its value")
        #expect(try live.query("SELECT count(*) FROM order_items", []).first?[0].int == 1, "the rebuilt parent cascades nothing")

        let undo = try #require(forward.inverse)
        try live.executeScript(try undo.script().text)
        #expect(differences(ignoringColumnOrder(try introspect(live)), ignoringColumnOrder(before)) == [])
        #expect(try diff(from: try introspect(live), to: before, flavor: .sqlite).isEmpty)
    }
}
