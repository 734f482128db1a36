import Foundation
@testable import Strata
import StrataLint
import StrataSQLite
import StrataTestSupport
import Testing

/// On SQLite a backfill runs in batches too, by rowid: each batch holds the database's write
/// lock only briefly, so the application's writers get their turn.
@Suite struct SQLiteBackfillTests {
    let folder = TemporaryFolder()

    private func migrator() throws -> Migrator {
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("app.db")), catalog: try LocationReader.read(locations: [folder.file("m")]))
        migrator.backfillReader = PostgresBackfillReader()
        return migrator
    }

    private func value(_ sql: String) throws -> [SQLValue] {
        try SQLiteDatabase(path: folder.file("app.db")).query(sql, []).first ?? []
    }

    @Test func batchesByRowidOverTheRowsTheConditionSelects() throws {
        folder.write("m/V1__data.sql", """
            CREATE TABLE t (id INTEGER PRIMARY KEY, d INTEGER NOT NULL, hits INTEGER NOT NULL DEFAULT 0);
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000)
            INSERT INTO t (id, d) SELECT n, CASE WHEN n = 2500 THEN 0 ELSE 1 END FROM g;
            """)
        folder.write("m/V2__fill.sql", "-- strata:backfill\nUPDATE t SET hits = hits + 1 WHERE 1 / d = 1;\n-- strata:backfill\nDELETE FROM t WHERE id > 2900;\n")
        var progress: [BackfillProgress] = []
        let first = try migrator()
        first.onEvent = { if case .backfillProgress(_, let report) = $0 { progress.append(report) } }
        // SQLite divides by zero without an error (NULL), so the row with d = 0 is simply skipped.
        #expect(try first.migrate(MigrateOptions(backfill: BackfillSettings(firstBatchSize: 100))).applied.count == 2)
        #expect(try value("SELECT count(*), min(hits), max(hits), sum(hits) FROM t") == [.integer(2900), .integer(0), .integer(1), .integer(2899)])
        #expect(progress.filter(\.finished).map(\.rows) == [2999, 100])
        #expect(try value("SELECT count(*) FROM sqlite_master WHERE name = 'strata_backfill_state'") == [.integer(0)])
    }

    @Test func aTableWithoutRowidIsRefusedClearly() throws {
        folder.write("m/V1__data.sql", "CREATE TABLE t (k TEXT PRIMARY KEY, a INTEGER) WITHOUT ROWID;\n-- strata:backfill\nUPDATE t SET a = 1;\n")
        let error = try #require(throws: MigrationScriptError.self) { try migrator().migrate() }
        #expect(error.line == 3)
        #expect(error.description.contains("WITHOUT ROWID"))
    }
}
