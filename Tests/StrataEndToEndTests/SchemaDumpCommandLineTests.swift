import Foundation
import StrataTestSupport
import Testing

/// `strata schema dump --json` as a user runs it, on both engines.
@Suite struct SchemaDumpCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    static func tableNames(_ json: String) throws -> [String] {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let tables = try #require(schema["tables"] as? [[String: Any]])
        return tables.compactMap { ($0["name"] as? [String: Any]).map { name in [name["schema"] as? String, name["name"] as? String].compactMap { $0 }.joined(separator: ".") } }
    }

    @Test func dumpsTheBookshopWithoutTheHistoryTable() throws {
        let migrations = StrataBinary.packageRoot + "/Examples/bookshop/migrations"
        let migrated = try strata("migrate", "--locations", migrations, "--url", "sqlite:shop.db")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let dump = try strata("schema", "dump", "--json", "--url", "sqlite:shop.db")
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(try Self.tableNames(dump.stdout) == ["authors", "books", "customers", "order_items", "orders", "reviews"])
        #expect(!dump.stdout.contains("strata_schema_history"))
        #expect(dump.stdout.contains("\"book_catalog\""))
        #expect(try strata("schema", "dump", "--json", "--url", "sqlite:shop.db").stdout == dump.stdout, "byte-equal when nothing changed")
        let sql = try strata("schema", "dump", "--url", "sqlite:shop.db")
        #expect(sql.status == 0, "\(sql.stderr)")
        #expect(sql.stdout.contains("CREATE TABLE authors ("))
        #expect(sql.stdout.contains("CREATE VIEW book_catalog AS"))
        #expect(!sql.stdout.contains("strata_schema_history"))
        #expect(try strata("schema", "dump", "--url", "sqlite:shop.db").stdout == sql.stdout)
    }

    @Test func needsNoMigrationsFolder() throws {
        let created = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "plain.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)"], in: project.path)
        #expect(created.status == 0, "\(created.stderr)")
        let dump = try strata("schema", "dump", "--json", "--url", "sqlite:plain.db")
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(try Self.tableNames(dump.stdout) == ["t"])
    }
}

@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresSchemaDumpCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    @Test func dumpsTheManagedSchemasWithoutTheHistoryTable() throws {
        let url = server.url(database: database)
        project.write("migrations/V1__people.sql", "CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL);\nCREATE TABLE other.notes (id int REFERENCES people);\n")
        try server.psql("CREATE SCHEMA other; CREATE TABLE public.untouched (id int)", database: database)
        let migrated = try strata("migrate", "--url", url, "--schemas", "app,other")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let dump = try strata("schema", "dump", "--json", "--url", url, "--schemas", "app,other")
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(try SchemaDumpCommandLineTests.tableNames(dump.stdout) == ["people", "other.notes"])
        #expect(!dump.stdout.contains("strata_schema_history"))
        #expect(dump.stdout.contains("\"people_id_seq\""))
        #expect(try strata("schema", "dump", "--json", "--url", url, "--schemas", "app,other").stdout == dump.stdout)
        let sql = try strata("schema", "dump", "--url", url, "--schemas", "app,other")
        #expect(sql.status == 0, "\(sql.stderr)")
        #expect(sql.stdout.contains("CREATE SCHEMA other;"))
        #expect(sql.stdout.contains("CREATE TABLE other.notes ("))
        #expect(!sql.stdout.contains("strata_schema_history"))
    }
}
