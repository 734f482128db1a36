import Foundation
import Strata
import StrataSQLite
import StrataTestSupport
import Testing

/// SQL callbacks on a real SQLite file.
@Suite struct CallbackTests {
    let folder = TemporaryFolder()

    private func migrator() throws -> Migrator {
        Migrator(database: try SQLiteDatabase(path: folder.file("app.db")), catalog: try LocationReader.read(locations: [folder.file("m")]))
    }

    private func log(_ migrator: Migrator) throws -> [String] {
        try migrator.database.query("SELECT event FROM log ORDER BY n", []).map { $0[0].string ?? "" }
    }

    private func logging(_ event: String) -> String {
        "CREATE TABLE IF NOT EXISTS log (n INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT);\nINSERT INTO log (event) VALUES ('\(event)');\n"
    }

    @Test func callbacksRunAtTheirEventsInDescriptionOrder() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/U1__One.sql", "DROP TABLE one;\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        for event in ["beforeMigrate", "beforeEachMigrate", "afterMigrate", "afterMigrateError", "afterEachMigrateError", "beforeUndo", "afterUndo", "beforeValidate", "afterRepair"] {
            folder.write("m/callbacks/\(event).sql", logging(event))
        }
        folder.write("m/afterEachMigrate__b_second.sql", logging("afterEach b"))
        folder.write("m/afterEachMigrate__a_first.sql", logging("afterEach a"))
        let migrator = try migrator()
        #expect(migrator.catalog.versioned.count == 2)
        try migrator.migrate()
        #expect(try log(migrator) == [
            "beforeMigrate", "beforeEachMigrate", "afterEach a", "afterEach b",
            "beforeEachMigrate", "afterEach a", "afterEach b", "afterMigrate",
        ])

        folder.write("m/V3__Broken.sql", "CREATE TABLE three (id INT);\nINSERT INTO nowhere VALUES (1);\n")
        #expect(throws: MigrationFailedError.self) { try self.migrator().migrate() }
        #expect(try log(migrator).suffix(3) == ["beforeMigrate", "afterEachMigrateError", "afterMigrateError"])
        try FileManager.default.removeItem(atPath: folder.file("m/V3__Broken.sql"))

        _ = try self.migrator().validate()
        _ = try self.migrator().repair()
        #expect(try log(migrator).suffix(2) == ["beforeValidate", "afterRepair"])
    }

    /// README: "the same six for `Undo`, and … `beforeRepair`, `afterRepair`, `afterRepairError`".
    /// The `Each` ones run in the step's transaction, so a failed step's `beforeEachUndo` rolls
    /// back with it; the error ones run after.
    @Test func undoAndRepairRunTheirCallbacks() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id INT);\n")
        folder.write("m/U2__Two.sql", "DROP TABLE two;\nINSERT INTO nowhere VALUES (1);\n")
        for event in ["beforeUndo", "beforeEachUndo", "afterEachUndo", "afterEachUndoError", "afterUndo", "afterUndoError",
                      "beforeRepair", "afterRepair", "afterRepairError"] {
            folder.write("m/\(event).sql", logging(event))
        }
        try migrator().migrate()
        #expect(throws: MigrationFailedError.self) { try self.migrator().undo() }
        #expect(try log(migrator()) == ["beforeUndo", "afterEachUndoError", "afterUndoError"])
        folder.write("m/U2__Two.sql", "DROP TABLE two;\n")
        try migrator().undo()
        #expect(try log(migrator()).suffix(4) == ["beforeUndo", "beforeEachUndo", "afterEachUndo", "afterUndo"])

        // A description changed since: repair realigns V1's row, which a trigger first forbids.
        try FileManager.default.moveItem(atPath: folder.file("m/V1__One.sql"), toPath: folder.file("m/V1__Uno.sql"))
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        try database.execute("CREATE TRIGGER frozen BEFORE UPDATE ON strata_schema_history BEGIN SELECT RAISE(ABORT, 'frozen'); END")
        #expect(throws: (any Error).self) { try self.migrator().repair() }
        #expect(try log(migrator()).suffix(2) == ["beforeRepair", "afterRepairError"])
        try database.execute("DROP TRIGGER frozen")
        #expect(try migrator().repair().actions.count == 1)
        #expect(try log(migrator()).suffix(2) == ["beforeRepair", "afterRepair"])
    }

    @Test func aFailingCallbackNamesItsFileAndLine() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/beforeMigrate.sql", "SELECT 1;\nSELECT * FROM missing_table;\n")
        let error = try #require(throws: CallbackFailedError.self) { try migrator().migrate() }
        #expect(error.failure.line == 2)
        #expect(error.description.contains("Callback \(folder.file("m/beforeMigrate.sql")) failed at line 2"))
        #expect(try migrator().history.read().isEmpty)
    }

    @Test func validateRunsItsCallbacksAndTheErrorOneOnFindings() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        for event in ["beforeValidate", "afterValidate", "afterValidateError"] {
            folder.write("m/\(event).sql", logging(event))
        }
        try migrator().migrate()
        #expect(try migrator().validate().isEmpty)
        #expect(try log(migrator()) == ["beforeValidate", "afterValidate"])
        folder.write("m/V1__One.sql", "CREATE TABLE one (id BIGINT);\n")
        #expect(try migrator().validate().count == 1)
        #expect(try log(migrator()).suffix(2) == ["beforeValidate", "afterValidateError"])
    }

    @Test func anErrorCallbackThatFailsTooIsReportedWithTheFailure() throws {
        folder.write("m/V1__Broken.sql", "INSERT INTO nowhere VALUES (1);\n")
        folder.write("m/afterMigrateError.sql", "INSERT INTO also_missing VALUES (1);\n")
        let error = try #require(throws: ErrorCallbackFailedError.self) { try migrator().migrate() }
        #expect(error.original is MigrationFailedError)
        #expect(error.description.contains("no such table: nowhere"))
        #expect(error.description.contains("Then the error callback failed too: Callback \(folder.file("m/afterMigrateError.sql")) failed at line 1"))
    }

    @Test func aScriptThatCannotRunStopsTheRunBeforeAnyCallbackOrTable() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id INT);\n")
        folder.write("m/V2__Commits.sql", "CREATE TABLE two (id INT);\nCOMMIT;\n")
        folder.write("m/beforeMigrate.sql", logging("beforeMigrate"))
        #expect(throws: TransactionPolicyError.self) { try migrator().migrate() }
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        #expect(try !database.tableExists(.defaultHistory))
        #expect(try !database.tableExists(TableName(schema: nil, name: "log")))
    }
}
