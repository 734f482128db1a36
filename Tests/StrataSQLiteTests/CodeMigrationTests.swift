import Foundation
import Strata
import StrataSQLite
import StrataTestSupport
import Testing

/// Swift code migrations next to SQL files, on real SQLite files.
@Suite struct CodeMigrationTests {
    let folder = TemporaryFolder()

    static let seed = CodeMigration.versioned("2", "seed shelves", checksum: 7) { db in
        for name in ["fiction", "history"] {
            try db.execute("INSERT INTO shelves (name) VALUES (\(db.dialect.parameter(1)))", .text(name))
        }
    } down: { db in
        try db.execute("DELETE FROM shelves")
    }

    private func migrator(_ code: [CodeMigration], database: (any Database)? = nil) throws -> Migrator {
        folder.write("m/V1__create_shelves.sql", "CREATE TABLE shelves (name TEXT NOT NULL);\n")
        folder.write("m/U1__create_shelves.sql", "DROP TABLE shelves;\n")
        folder.write("m/V3__add_shelf_size.sql", "ALTER TABLE shelves ADD COLUMN size INT;\n")
        let catalog = try LocationReader.read(locations: [folder.file("m")]).adding(code)
        return Migrator(database: try database ?? SQLiteDatabase(path: folder.file("app.db")), catalog: catalog, installedBy: "tester")
    }

    private func history(_ migrator: Migrator) throws -> [[SQLValue]] {
        try migrator.database.query("SELECT version, type, script, checksum, success FROM strata_schema_history ORDER BY installed_rank", [])
    }

    @Test func runInVersionOrderAmongSQLFilesAndAreRecorded() throws {
        let migrator = try migrator([Self.seed])
        let report = try migrator.migrate()
        #expect(report.applied.map(\.step.migration.script) == ["V1__create_shelves.sql", "V2__seed_shelves.swift", "V3__add_shelf_size.sql"])
        #expect(try migrator.database.query("SELECT name FROM shelves ORDER BY name", []).map { $0[0] } == [.text("fiction"), .text("history")])
        #expect(try history(migrator)[1] == [.text("2"), .text("SWIFT"), .text("V2__seed_shelves.swift"), .integer(7), .integer(1)])
        #expect(try migrator.validate().isEmpty)
        #expect(try migrator.info().infos.map(\.state) == [.success, .success, .success])
    }

    @Test func aChangedChecksumIsFoundByValidateAsAFileEditIs() throws {
        try migrator([Self.seed]).migrate()
        let edited = CodeMigration.versioned("2", "seed shelves", checksum: 8) { _ in }
        let findings = try migrator([edited]).validate()
        #expect(findings.count == 1)
        guard case .checksumChanged(let applied, let file) = findings.first else {
            Issue.record("expected a changed checksum, got \(findings)")
            return
        }
        #expect(applied.checksum == 7 && file.checksum == 8 && file.script == "V2__seed_shelves.swift")
    }

    @Test func oneOutsideATransactionIsRecordedBeforeItRunsAndLeftFailedWhenItFails() throws {
        struct Interrupted: Error {}
        let failing = CodeMigration.versioned("2", "outside", runsInTransaction: false) { db in
            try db.execute("INSERT INTO shelves (name) VALUES ('kept')")
            throw Interrupted()
        }
        let migrator = try migrator([failing])
        #expect(throws: (any Error).self) { try migrator.migrate() }
        #expect(try history(migrator).map { [$0[0], $0[4]] } == [[.text("1"), .integer(1)], [.text("2"), .integer(0)]], "the failed row stops later runs until repair")
        #expect(try migrator.database.query("SELECT name FROM shelves", []).map { $0[0] } == [.text("kept")], "nothing rolled it back")
        #expect(throws: (any Error).self) { try migrator.migrate() }
    }

    @Test func areUndoneWithTheirDownClosure() throws {
        let migrator = try migrator([Self.seed])
        try migrator.migrate(MigrateOptions(plan: PlanOptions(target: .version(MigrationVersion("2")!))))
        let undone = try migrator.undo()
        #expect(undone.applied.map(\.step.type) == [.undoSwift])
        #expect(try migrator.database.query("SELECT count(*) FROM shelves", []).first?.first == .integer(0))
        #expect(try history(migrator).last?[1] == .text("UNDO_SWIFT"))
        #expect(try migrator.info().infos.first { $0.version?.text == "2" }?.state == .undone)
    }

    @Test func aFailingOneIsRolledBackWithItsError() throws {
        struct OutOfShelves: Error, CustomStringConvertible { var description: String { "no shelves left" } }
        let failing = CodeMigration.versioned("2", "fail halfway") { db in
            try db.execute("INSERT INTO shelves (name) VALUES ('half')")
            throw OutOfShelves()
        }
        let migrator = try migrator([failing])
        #expect {
            try migrator.migrate()
        } throws: { error in
            "\(error)".contains("Migration V2__fail_halfway.swift failed and was rolled back: no shelves left")
        }
        #expect(try migrator.database.query("SELECT count(*) FROM shelves", []).first?.first == .integer(0))
        #expect(try history(migrator).map { $0[0] } == [.text("1")])
    }

    @Test func aDatabaseErrorNamesTheStatement() throws {
        let failing = CodeMigration.versioned("2", "bad sql") { db in try db.execute("INSERT INTO nowhere VALUES (1)") }
        #expect {
            try migrator([failing]).migrate()
        } throws: { error in
            "\(error)".contains("`INSERT INTO nowhere VALUES (1)` → SQLite error") && "\(error)".contains("no such table: nowhere")
        }
    }

    @Test func aVersionTakenByAFileOrInvalidIsACatalogError() throws {
        let clash = CodeMigration.versioned("1", "also one") { _ in }
        let invalid = CodeMigration.versioned("1.x", "bad") { _ in }
        #expect {
            try migrator([clash, invalid])
        } throws: { error in
            let text = "\(error)"
            return text.contains("version 1 is also used by") && text.contains("'1.x' is not a version")
        }
    }

    @Test func repeatableOnesRunAgainWhenTheirChecksumChanges() throws {
        var ran = 0
        func refresh(_ checksum: Int32) -> CodeMigration {
            .repeatable("refresh counts", checksum: checksum) { db in try db.execute("DELETE FROM shelves WHERE name = 'none'") }
        }
        try migrator([refresh(1)]).migrate()
        ran = try migrator([refresh(1)]).migrate().applied.count
        #expect(ran == 0)
        ran = try migrator([refresh(2)]).migrate().applied.count
        #expect(ran == 1)
    }

    @Test func dryRunsRecordTheirStatementsAndRefuseTheirQueries() throws {
        let preview = try migrator([Self.seed]).previewMigrate()
        #expect(preview.contains("-- V2__seed_shelves.swift\nBEGIN IMMEDIATE;\nINSERT INTO shelves (name) VALUES ('fiction');\nINSERT INTO shelves (name) VALUES ('history');\n"))
        #expect(preview.contains("'V2__seed_shelves.swift', 7, 'tester'"))
        let untouched = try SQLiteDatabase(path: folder.file("app.db")).tableExists(.defaultHistory)
        #expect(!untouched)

        let querying = CodeMigration.versioned("2", "count shelves") { db in _ = try db.query("SELECT count(*) FROM shelves") }
        #expect {
            try migrator([querying]).previewMigrate()
        } throws: { error in
            "\(error)".contains("V2__count_shelves.swift queries the database, so its SQL cannot be written down without running it")
        }
    }
}
