import StrataTestSupport
import Dispatch
import Foundation
@testable import Strata
import StrataSQLite
import Testing

/// The migrator on real SQLite files.
@Suite struct SQLiteMigratorTests {
    let folder = TemporaryFolder()
    var databasePath: String { folder.file("app.db") }

    private func migrator(table: TableName = .defaultHistory, locations: [String]? = nil) throws -> Migrator {
        Migrator(
            database: try SQLiteDatabase(path: databasePath),
            catalog: try LocationReader.read(locations: locations ?? [folder.file("m")]),
            table: table, installedBy: "tester")
    }

    private func scalar(_ migrator: Migrator, _ sql: String) throws -> SQLValue? {
        try migrator.database.query(sql, []).first?.first
    }

    @Test func recordsFlywayCompatibleHistoryRows() throws {
        folder.write("m/V1_1__Create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n")
        folder.write("m/R__Users_view.sql", "CREATE VIEW IF NOT EXISTS user_ids AS SELECT id FROM users;\n")
        let migrator = try migrator()
        try migrator.migrate()
        let rows = try migrator.database.query(
            "SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success FROM strata_schema_history ORDER BY installed_rank", [])
        #expect(rows.count == 2)
        #expect(rows[0][0...6] == [.integer(1), .text("1.1"), .text("Create users"), .text("SQL"), .text("V1_1__Create_users.sql"),
                                   .integer(Int64(FlywayChecksum.of("CREATE TABLE users (id INTEGER PRIMARY KEY);"))), .text("tester")])
        #expect(rows[0][7].string?.hasPrefix("20") == true)
        #expect(rows[0][9] == .integer(1))
        #expect(rows[1][1] == .null)
        #expect(rows[1][2] == .text("Users view"))
    }

    @Test func scriptsAreSplitBySQLiteItself() throws {
        folder.write("m/V1__Tricky.sql", """
            -- a comment; with a semicolon
            CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, edits INT DEFAULT 0);
            /* a block comment; also with one */
            CREATE TRIGGER notes_edited AFTER UPDATE OF body ON notes
            BEGIN
                UPDATE notes SET edits = edits + 1 WHERE id = NEW.id;
                SELECT 1;
            END;
            INSERT INTO notes (body) VALUES ('semi; colon -- not a comment');
            INSERT INTO notes (body) VALUES ('it''s /* not */ a comment');
            UPDATE notes SET body = body || '!' WHERE id = 1
            """)
        let migrator = try migrator()
        try migrator.migrate()
        #expect(try scalar(migrator, "SELECT body FROM notes WHERE id = 1") == .text("semi; colon -- not a comment!"))
        #expect(try scalar(migrator, "SELECT edits FROM notes WHERE id = 1") == .integer(1))
        #expect(try scalar(migrator, "SELECT body FROM notes WHERE id = 2") == .text("it's /* not */ a comment"))
    }

    @Test func aFailingMigrationIsRolledBackAndTheOnesBeforeItStay() throws {
        folder.write("m/V1__Authors.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY);\n")
        folder.write("m/V2__Books.sql", """
            CREATE TABLE books (id INTEGER PRIMARY KEY);
            INSERT INTO books VALUES (1);

            INSERT INTO missing_table
              VALUES (1);
            """)
        folder.write("m/V3__Later.sql", "CREATE TABLE later (id INT);\n")
        let migrator = try migrator()
        let error = try #require(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(error.failure.line == 4)
        #expect(error.failure.statement == "INSERT INTO missing_table")
        #expect(error.failure.message == "no such table: missing_table")
        #expect(error.description.contains("Migration \(folder.file("m/V2__Books.sql")) failed at line 4 and was rolled back"))
        #expect(try migrator.database.tableExists(TableName(schema: nil, name: "authors")))
        #expect(try !migrator.database.tableExists(TableName(schema: nil, name: "books")))
        #expect(try !migrator.database.tableExists(TableName(schema: nil, name: "later")))
        #expect(try migrator.history.read().map(\.version?.text) == ["1"])
    }

    /// Regression: COMMIT was refused by the driver only when V2 ran, after V1 had been applied.
    @Test func transactionControlIsRefusedBeforeAnyMigrationRuns() throws {
        folder.write("m/V1__Fine.sql", "CREATE TABLE fine (id INT);\n")
        folder.write("m/V2__Commits.sql", "CREATE TABLE a (id INT);\nCOMMIT;\nCREATE TABLE b (id INT);\n")
        let migrator = try migrator()
        let error = try #require(throws: TransactionPolicyError.self) { try migrator.migrate() }
        #expect(error.problem == .transactionControl(lines: [2]))
        #expect(try !migrator.database.tableExists(TableName(schema: nil, name: "fine")))
        #expect(try migrator.history.read().isEmpty)
        #expect(throws: TransactionPolicyError.self) { try migrator.previewMigrate() }

        folder.write("m/V2__Commits.sql", "-- strata:transaction=false\nBEGIN;\nCREATE TABLE a (id INT);\nCOMMIT;\n")
        #expect(try self.migrator().migrate().applied.count == 2)
        #expect(try migrator.database.tableExists(TableName(schema: nil, name: "a")))
    }

    /// The driver still refuses transaction control inside a transaction, for scripts that reach it
    /// without the analysis; a savepoint's rollback stays inside the transaction and runs.
    @Test func theDriverRefusesTransactionControlInsideATransaction() throws {
        let database = try SQLiteDatabase(path: databasePath)
        try database.execute("CREATE TABLE a (id INT)")
        let error = try #require(throws: ScriptError.self) {
            try database.inTransaction { try database.executeScript("INSERT INTO a VALUES (1);\n  commit transaction;") }
        }
        #expect(error.line == 2)
        #expect(error.statement == "commit transaction")
        try database.inTransaction {
            try database.executeScript("SAVEPOINT s; INSERT INTO a VALUES (2); ROLLBACK TRANSACTION TO SAVEPOINT s; RELEASE s;")
        }
        #expect(try database.query("SELECT count(*) FROM a", []).first?.first == .integer(0))
    }

    /// Regression: SQLite read the rest of the file as a comment, ran nothing, and the migration
    /// was recorded as applied.
    @Test func anUnterminatedCommentIsRefusedBeforeAnythingRuns() throws {
        folder.write("m/V1__Fine.sql", "CREATE TABLE fine (id INT);\n")
        folder.write("m/V2__Open.sql", "CREATE TABLE a (id INT);\n/* never closed\nCREATE TABLE b (id INT);\n")
        let migrator = try migrator()
        let error = try #require(throws: MigrationScriptError.self) { try migrator.migrate() }
        #expect(error.line == 2)
        #expect(error.description.contains("V2__Open.sql, line 2: unterminated block comment"))
        #expect(try migrator.history.read().isEmpty)
    }

    @Test func aMigrationOfOnlyVacuumRunsOutsideATransaction() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE t (n INT);\nINSERT INTO t VALUES (1);\n")
        folder.write("m/V2__Vacuum.sql", "VACUUM;\n")
        let migrator = try migrator()
        let report = try migrator.migrate()
        #expect(report.applied.map(\.step.migration.version?.text) == ["1", "2"])
        #expect(try migrator.history.read().map(\.success) == [true, true])
        folder.write("m/V3__Mixed.sql", "DELETE FROM t;\nVACUUM;\n")
        let mixed = try #require(throws: TransactionPolicyError.self) { try self.migrator().migrate() }
        #expect(mixed.problem == .mixed(refusingLines: [2]))
    }

    @Test func repeatableRunsAgainAfterItChanges() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE t (n INT);\n")
        folder.write("m/R__Count.sql", "INSERT INTO t VALUES (1);\n")
        try migrator().migrate()
        #expect(try migrator().migrate().applied.isEmpty)
        folder.write("m/R__Count.sql", "INSERT INTO t VALUES (2);\n")
        let report = try migrator().migrate()
        #expect(report.applied.map(\.step.reason) == [.outdated])
        #expect(try scalar(migrator(), "SELECT sum(n) FROM t") == .integer(3))
        #expect(try migrator().info().infos.map(\.state) == [.success, .superseded, .success])
    }

    @Test func anExistingSchemaNeedsABaseline() throws {
        folder.write("m/V1__Existing.sql", "CREATE TABLE existing (id INT);\n")
        folder.write("m/V2__New.sql", "CREATE TABLE added (id INT);\n")
        let setup = try SQLiteDatabase(path: databasePath)
        try setup.execute("CREATE TABLE existing (id INT)")

        let error = try #require(throws: UnmanagedSchemaError.self) { try migrator().migrate() }
        #expect(error.objectCount == 1)
        #expect(try !setup.tableExists(.defaultHistory))

        let report = try migrator().migrate(MigrateOptions(baselineOnMigrate: true))
        #expect(report.applied.map(\.step.migration.version?.text) == ["2"])
        #expect(try migrator().info().infos.map(\.state) == [.baseline, .belowBaseline, .success])
    }

    @Test func baselineCommandThenMigrateAppliesOnlyNewerVersions() throws {
        for version in 1...3 { folder.write("m/V\(version)__Step.sql", "CREATE TABLE t\(version) (id INT);\n") }
        let migrator = try migrator()
        guard case .record = try migrator.baseline(version: MigrationVersion("2")!) else { Issue.record(); return }
        guard case .alreadyRecorded = try migrator.baseline(version: MigrationVersion("2")!) else { Issue.record(); return }
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["3"])
        #expect(throws: BaselineRefused.self) { try migrator.baseline(version: MigrationVersion("5")!) }
    }

    @Test func repairUnblocksAFailedMigration() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        folder.write("m/V3__Three.sql", "CREATE TABLE three (id INT);\n")
        let migrator = try migrator()
        try migrator.migrate(MigrateOptions(plan: PlanOptions(target: MigrationTarget("1")!)))
        // What a non-transactional failure (or Flyway on another engine) leaves behind.
        try migrator.history.append(
            NewHistoryRow(version: MigrationVersion("2"), description: "Two", type: .sql, script: "V2__Two.sql",
                          checksum: 0, executionTime: 5, success: false), installedBy: "flyway")
        let blocked = try #require(throws: ValidationFailedError.self) { try migrator.migrate() }
        #expect(blocked.findings.count == 1)

        #expect(try migrator.repair().actions.count == 1)
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["2", "3"])
        #expect(try migrator.repair().actions.isEmpty)
    }

    @Test func repairMarksMissingMigrationsDeletedAndRealignsChecksums() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        try migrator().migrate()
        try FileManager.default.removeItem(atPath: folder.file("m/V1__One.sql"))
        folder.write("m/V2__Two_renamed.sql", "CREATE TABLE two (id INT); -- edited\n")
        try FileManager.default.removeItem(atPath: folder.file("m/V2__Two.sql"))
        #expect(try migrator().validate().count == 3)
        let actions = try migrator().repair().actions
        #expect(actions.count == 2)
        #expect(try migrator().validate().isEmpty)
        let states = try migrator().info().infos.map(\.state)
        #expect(states == [.deleted, .success])
        #expect(try migrator().history.read().last?.type == .delete)
    }

    @Test func adoptsAFlywayHistoryTable() throws {
        folder.write("m/V1__First.sql", "CREATE TABLE first (id INT);\n")
        folder.write("m/V2__Second.sql", "CREATE TABLE second (id INT);\n")
        let flyway = try SQLiteDatabase(path: databasePath)
        let table = TableName(schema: nil, name: "flyway_schema_history")
        for statement in SQLiteDialect().createHistoryTable(table) { try flyway.execute(statement) }
        try flyway.execute("CREATE TABLE first (id INT)")
        try flyway.execute(
            """
            INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success)
            VALUES (1, '1', 'First', 'SQL', 'V1__First.sql', ?1, 'flyway', '2020-01-01 00:00:00.000', 3, 1)
            """, [.integer(Int64(FlywayChecksum.of("CREATE TABLE first (id INT);\n")))])
        let migrator = try migrator(table: table)
        #expect(try migrator.validate().isEmpty)
        let report = try migrator.migrate()
        #expect(report.applied.map(\.step.migration.version?.text) == ["2"])
        #expect(try migrator.history.read().map(\.installedRank) == [1, 2])
    }

    @Test func schemaQualifiedHistoryTable() throws {
        folder.write("m/V1__First.sql", "CREATE TABLE first (id INT);\n")
        let migrator = try migrator(table: TableName(parsing: "main.my_history"))
        try migrator.migrate()
        #expect(try migrator.database.tableExists(TableName(schema: "main", name: "my_history")))
        #expect(try migrator.info().infos.map(\.state) == [.success])
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() throws {
        for version in 1...30 {
            folder.write("m/V\(version)__Step.sql", "CREATE TABLE t\(version) (id INT);\nINSERT INTO t\(version) VALUES (\(version));\n")
        }
        let path = databasePath, location = folder.file("m")
        let failures = ConcurrentLog()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let migrator = Migrator(database: try SQLiteDatabase(path: path), catalog: try LocationReader.read(locations: [location]))
                try migrator.migrate()
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let history = try migrator().history.read()
        #expect(history.count == 30)
        #expect(Set(history.compactMap(\.version)).count == 30)
    }
}
