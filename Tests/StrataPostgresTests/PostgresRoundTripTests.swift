import Foundation
import SchemaTestSupport
import Strata
import StrataPostgres
import StrataSchema
import StrataTestSupport
import Testing

/// The shop schema through render and diff on the test server: what introspection reads after
/// Strata applies the SQL is the schema asked for, `pg_dump` sees the same database as one
/// loaded from the schema file, and a second diff finds nothing.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresRoundTripTests {
    let server = TestPostgres.shared!
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schemas")
    static let history = QualifiedName("strata_schema_history")

    /// A new database loaded from a fixture by `psql`, and its schema.
    private func loaded(_ fixture: String) throws -> (database: String, schema: Schema) {
        let database = try server.createDatabase()
        try server.psqlFile(Self.fixtures.appendingPathComponent(fixture).path, database: database)
        return (database, try introspect(database))
    }

    private func introspect(_ database: String) throws -> Schema {
        try PostgresDatabase(conninfo: server.url(database: database)).introspectSchema(namespaces: [], excluding: [Self.history])
    }

    /// Runs each script as a Strata migration, in its transaction with its history row.
    private func migrate(_ database: String, _ scripts: [String]) throws {
        let folder = TemporaryFolder()
        for (number, script) in scripts.enumerated() { folder.write("m/V\(number + 1)__step.sql", script) }
        try Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)),
                     catalog: try LocationReader.read(locations: [folder.file("m")])).migrate()
    }

    private func dump(_ database: String) throws -> String {
        try server.schemaDump(database, excludingTable: "strata_schema_history")
    }

    @Test func theRenderedShopLoadsAsTheSameSchemaAndDump() throws {
        let (original, schema) = try loaded("shop.postgres.sql")
        #expect(schema.tables.count == 37)
        let rendered = try server.createDatabase()
        try migrate(rendered, [try render(schema, flavor: .postgresql)])
        #expect(differences(try introspect(rendered), schema) == [])
        #expect(try diff(from: try introspect(rendered), to: schema, flavor: .postgresql).isEmpty)
        #expect(try dump(rendered) == (try dump(original)))
    }

    @Test func aYearOfChangesAppliesAndUndoes() throws {
        let (_, before) = try loaded("shop.postgres.sql")
        let (expected, after) = try loaded("shop.v2.postgres.sql")
        let live = try server.createDatabase()
        let shop = try String(contentsOf: Self.fixtures.appendingPathComponent("shop.postgres.sql"), encoding: .utf8) + """
            INSERT INTO countries VALUES ('NL', 'Netherlands', 0.21);
            INSERT INTO categories (name) VALUES ('Books');
            INSERT INTO products (sku, name, description, category_id, price) VALUES ('B-1', 'Dune', 'A desert', 1, 9.5);
            """
        let renames = SchemaRenames(columns: [QualifiedName("products"): ["description": "details"]])
        let forward = try diff(from: before, to: after, flavor: .postgresql, renames: renames)
        try migrate(live, [shop, try forward.script().text])
        #expect(differences(try introspect(live), after) == [])
        #expect(try diff(from: try introspect(live), to: after, flavor: .postgresql).isEmpty)
        #expect(try dump(live) == (try dump(expected)))
        #expect(try server.psql("SELECT details FROM products", database: live) == "A desert\n", "the renamed column keeps its value")

        // PostgreSQL cannot take an enum value back out: the undo keeps it and reverts the rest.
        let reversible = SchemaDiff(flavor: .postgresql, changes: forward.changes.filter { if case .addEnumValue = $0 { false } else { true } })
        let undo = try #require(reversible.inverse)
        try migrate(live, [shop, try forward.script().text, try undo.script().text])
        var restored = before
        restored.enums = after.enums
        #expect(differences(ignoringColumnOrder(try introspect(live)), ignoringColumnOrder(restored)) == [])
        #expect(try diff(from: try introspect(live), to: restored, flavor: .postgresql).isEmpty)
    }
}
