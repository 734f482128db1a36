import Foundation
import StrataTestSupport
import Testing

/// The example app in `Examples/inventory`: its own package depending on Strata by path, with
/// SQL and Swift migrations, that migrates at start-up and ships the `strata` command set.
/// Built here (into `.build-example`) and run on SQLite and PostgreSQL.
@Suite(.serialized) struct ExampleAppTests {
    static let folder = StrataBinary.packageRoot + "/Examples/inventory"

    /// Builds the example once for the whole suite; nil when the build worked.
    static let buildFailure: String? = {
        let result = try? StrataBinary.runTool(
            "/usr/bin/env", ["swift", "build", "--disable-build-manifest-caching", "--package-path", folder, "--scratch-path", StrataBinary.packageRoot + "/.build-example"],
            in: folder)
        guard let result else { return "cannot start `swift build`" }
        guard result.status != 0 else { return nil }
        let errors = (result.stdout + result.stderr).split(separator: "\n").filter { $0.contains("error") }
        return errors.isEmpty ? String((result.stdout + result.stderr).suffix(3000)) : errors.prefix(20).joined(separator: "\n")
    }()

    private func inventory(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.runTool(StrataBinary.packageRoot + "/.build-example/debug/inventory", arguments, in: Self.folder)
    }

    private func migratesUndoesAndMigratesAgain(url: String, history: () throws -> String) throws {
        try #require(Self.buildFailure == nil, "the example did not build: \(Self.buildFailure ?? "")")
        let served = try inventory("serve", "--url", url)
        #expect(served.status == 0, "\(served.stdout)\(served.stderr)")
        #expect(served.stdout.contains("Migrated 4 migration(s); schema version 4."))
        #expect(served.stdout.contains("BK-001  stock 12  moved 12"))
        #expect(try inventory("serve", "--url", url).stdout.contains("Migrated 0 migration(s); schema version 4."))

        let info = try inventory("migrations", "info", "--url", url)
        #expect(info.status == 0)
        #expect(info.stdout.contains("seed items") && info.stdout.contains("SWIFT"))
        let undone = try inventory("migrations", "undo", "--target", "1", "--url", url)
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try history() == "SQL SWIFT SQL SWIFT UNDO_SWIFT UNDO_SQL UNDO_SWIFT")
        #expect(try inventory("serve", "--url", url).stdout.contains("Migrated 3 migration(s); schema version 4."))
    }

    @Test func onSQLite() throws {
        let scratch = TemporaryFolder()
        let path = scratch.file("inventory.db")
        try migratesUndoesAndMigratesAgain(url: "sqlite:" + path) {
            let rows = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", path, "SELECT type FROM strata_schema_history ORDER BY installed_rank LIMIT 7"], in: scratch.path)
            return rows.stdout.split(separator: "\n").joined(separator: " ")
        }
    }

    @Test(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
    func onPostgreSQL() throws {
        let server = try #require(TestPostgres.shared)
        let database = try server.createDatabase()
        try migratesUndoesAndMigratesAgain(url: server.url(database: database)) {
            try server.psql("SELECT string_agg(type, ' ' ORDER BY installed_rank) FROM (SELECT * FROM strata_schema_history ORDER BY installed_rank LIMIT 7) h",
                            database: database).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
