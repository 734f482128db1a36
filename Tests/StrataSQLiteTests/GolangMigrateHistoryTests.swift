import Foundation
@testable import Strata
import StrataSQLite
import StrataTestSupport
import Testing

/// `history = "golang-migrate"` on real SQLite files: its `schema_migrations` kept as
/// golang-migrate keeps it, and a golang-migrate database adopted or refused.
@Suite struct GolangMigrateHistoryTests {
    let folder = TemporaryFolder()

    init() {
        folder.write("m/1_one.up.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/1_one.down.sql", "DROP TABLE one;\n")
        // As Harbor's migration 0030 does, a migration may change golang-migrate's own table.
        folder.write("m/2_two.up.sql", "CREATE TABLE two (id INT);\nALTER TABLE schema_migrations ADD COLUMN note TEXT;\n")
        folder.write("m/2_two.down.sql", "DROP TABLE two;\nALTER TABLE schema_migrations DROP COLUMN note;\n")
        folder.write("m/3_three.up.sql", "-- strata:transaction=false\nCREATE TABLE three (id INT);\n")
        folder.write("m/3_three.down.sql", "DROP TABLE three;\n")
    }

    private func migrator() throws -> Migrator {
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("app.db")),
                                catalog: try LocationReader.read(locations: [folder.file("m")]), installedBy: "tester")
        migrator.companion = .golangMigrate
        return migrator
    }

    private func golangMigrateRows(_ migrator: Migrator) throws -> [String] {
        try migrator.database.query("SELECT version, dirty FROM schema_migrations", []).map { "\($0[0].int!):\($0[1].bool!)" }
    }

    @Test func itsTableFollowsMigrateAndUndo() throws {
        let migrator = try migrator()
        #expect(try migrator.migrate().applied.count == 3)
        #expect(try golangMigrateRows(migrator) == ["3:false"])
        let ddl = try migrator.database.query("SELECT sql FROM sqlite_master WHERE name IN ('schema_migrations', 'version_unique') ORDER BY name", [])
        #expect(ddl.map { $0[0].string! } == [#"CREATE TABLE "schema_migrations" (version uint64,dirty bool, note TEXT)"#,
                                             #"CREATE UNIQUE INDEX version_unique ON "schema_migrations" (version)"#])
        try migrator.undo()
        #expect(try golangMigrateRows(migrator) == ["2:false"])
        try migrator.undo(.count(2))
        #expect(try golangMigrateRows(migrator).isEmpty)
        try migrator.migrate(MigrateOptions(plan: PlanOptions(target: .version(MigrationVersion("2")!))))
        #expect(try golangMigrateRows(migrator) == ["2:false"])
    }

    @Test func aFailedMigrationOutsideATransactionLeavesItDirtyUntilRepair() throws {
        folder.write("m/4_four.up.sql", "-- strata:transaction=false\nCREATE TABLE four (id INT);\nINSERT INTO nowhere VALUES (1);\n")
        let migrator = try migrator()
        #expect(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(try golangMigrateRows(migrator) == ["4:true"])
        try migrator.database.execute("DROP TABLE four")
        _ = try migrator.repair()
        #expect(try golangMigrateRows(migrator) == ["3:false"])
    }

    @Test func aCleanDatabaseIsAdoptedAtItsVersion() throws {
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        for statement in ["CREATE TABLE schema_migrations (version uint64,dirty bool)", "CREATE UNIQUE INDEX version_unique ON schema_migrations (version)",
                          "CREATE TABLE one (id INT)", "CREATE TABLE two (id INT)", "ALTER TABLE schema_migrations ADD COLUMN note TEXT",
                          "INSERT INTO schema_migrations (version, dirty) VALUES (2, 0)"] {
            try database.execute(statement)
        }
        let migrator = try migrator()
        #expect(try migrator.foreignHistory() == .golangMigrate(GolangMigrateRow(version: 2, dirty: false)))
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["3"])
        let rows = try migrator.history.read()
        #expect(rows.map(\.version?.text) == ["1", "2", "3"])
        #expect(rows.prefix(2).map(\.checksum) == migrator.catalog.versioned.prefix(2).map(\.checksum))
        #expect(try migrator.validate().isEmpty)
        #expect(try golangMigrateRows(migrator) == ["3:false"])
    }

    @Test func aDirtyDatabaseIsRefusedNamingTheVersion() throws {
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        try database.execute("CREATE TABLE schema_migrations (version uint64,dirty bool)")
        try database.execute("INSERT INTO schema_migrations (version, dirty) VALUES (2, 1)")
        let migrator = try migrator()
        let error = try #require(throws: CoexistenceError.self) { try migrator.migrate() }
        #expect(error == .dirty(version: 2))
        #expect("\(error)".contains("migrate force 2"))
        #expect(try !migrator.history.exists())
    }

    @Test func theDryRunShowsTheAdoptionAndWritesNothing() throws {
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        try database.execute("CREATE TABLE schema_migrations (version uint64,dirty bool)")
        try database.execute("INSERT INTO schema_migrations (version, dirty) VALUES (1, 0)")
        let migrator = try migrator()
        let script = try migrator.previewMigrate()
        #expect(script.contains("'1_one.up.sql', \(migrator.catalog.versioned[0].checksum!)") && script.contains("m/2_two.up.sql\n"))
        #expect(!script.contains("m/1_one.up.sql"))
        #expect(script.contains(#"INSERT INTO "schema_migrations" (version, dirty) VALUES (3, 1)"#))
        #expect(try !migrator.history.exists())
        let adopt = try migrator.previewAdopt()
        #expect(adopt.contains("1_one.up.sql") && adopt.contains("CREATE TABLE"))
        #expect(try !migrator.history.exists())
    }
}
