import Foundation
import Strata
import StrataSQLite
import StrataTestSupport
import Testing

/// golang-migrate and dbmate folders, Flyway undo files, and `undo`, on real SQLite files.
@Suite struct LayoutAndUndoTests {
    let folder = TemporaryFolder()

    private func migrator(_ locations: [String], layout: MigrationLayout? = nil) throws -> Migrator {
        Migrator(database: try SQLiteDatabase(path: folder.file("app.db")),
                 catalog: try LocationReader.read(locations: locations, layout: layout), installedBy: "tester")
    }

    private func tableExists(_ migrator: Migrator, _ name: String) throws -> Bool {
        try migrator.database.tableExists(TableName(schema: nil, name: name))
    }

    @Test func flywayUndoFilesRevertNewestFirstWithAnAuditTrail() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/U1__One.sql", "DROP TABLE one;\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        folder.write("m/U2__Two.sql", "DROP TABLE two;\n")
        let migrator = try migrator([folder.file("m")])
        try migrator.migrate()
        let undone = try migrator.undo()
        #expect(undone.applied.map(\.step.migration.script) == ["U2__Two.sql"])
        #expect(undone.currentVersion?.text == "1")
        #expect(try !tableExists(migrator, "two") && tableExists(migrator, "one"))
        let rows = try migrator.history.read()
        #expect(rows.last?.type == .undoSQL && rows.last?.installedBy == "tester" && rows.last?.version?.text == "2")
        #expect(try migrator.info().infos.map(\.state) == [.success, .undone, .pending])
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["2"])
        try migrator.undo(.target(MigrationVersion("0")!))
        #expect(try !tableExists(migrator, "one") && !tableExists(migrator, "two"))
        #expect(try migrator.info().currentVersion == nil)
    }

    @Test func undoRefusesBeforeTouchingAnythingWhenADownScriptIsMissing() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        folder.write("m/U2__Two.sql", "DROP TABLE two;\n")
        let migrator = try migrator([folder.file("m")])
        try migrator.migrate()
        let before = try migrator.history.read()
        let error = try #require(throws: UndoRefused.self) { try migrator.undo(.count(2)) }
        #expect(error.lacking.map(\.script) == ["V1__One.sql"])
        #expect(try migrator.history.read() == before)
        #expect(try tableExists(migrator, "two"))
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func golangMigrateExamples() throws {
        let fixtures = ConformanceFixtures.shared!
        let migrator = try migrator([fixtures.path("golang-migrate/database/sqlite3/examples/migrations")])
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["33", "44"])
        #expect(try migrator.validate().isEmpty)
        let undone = try migrator.undo(.count(2))
        #expect(undone.applied.map(\.step.migration.script) == ["44_alter_table.down.sql", "33_create_table.down.sql"])
        #expect(try migrator.database.userObjectCount(excluding: .defaultHistory) == 0)
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func dbmateTestdata() throws {
        let fixtures = ConformanceFixtures.shared!
        let migrator = try migrator([fixtures.path("dbmate/testdata/db/migrations")])
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["20151129054053", "20200227231541"])
        #expect(try migrator.database.query("select count(*) from users", []).first?.first?.int == 1)
        try migrator.undo()
        #expect(try !tableExists(migrator, "posts") && tableExists(migrator, "users"))
        try migrator.undo()
        #expect(try !tableExists(migrator, "users"))
        #expect(try migrator.undo().applied.isEmpty)
    }

    @Test func dbmateProblemsNameTheFileAndLine() throws {
        folder.write("d/20240101_broken.sql", "-- migrate:up\nCREATE TABLE t (id INT);\n")
        folder.write("d/20240102_fine.sql", "-- migrate:up\nCREATE TABLE u (id INT);\n-- migrate:down\nDROP TABLE u;\n")
        let error = try #require(throws: CatalogError.self) { try migrator([folder.file("d")], layout: .dbmate) }
        #expect(error.problems.map(\.path) == [folder.file("d/20240101_broken.sql")])
        #expect(error.description.contains("line 1: this `-- migrate:up` has no `-- migrate:down`"))
    }

    @Test func layoutCanBeForced() throws {
        folder.write("m/1_first.up.sql", "CREATE TABLE first (id INT);\n")
        folder.write("m/V1__flyway_named.sql", "CREATE TABLE other (id INT);\n")
        #expect(throws: CatalogError.self) { try migrator([folder.file("m")]) }
        #expect(try migrator([folder.file("m")], layout: .golangMigrate).catalog.versioned.map(\.script) == ["1_first.up.sql"])
        #expect(try migrator([folder.file("m")], layout: .flyway).catalog.versioned.map(\.script) == ["V1__flyway_named.sql"])
    }
}
