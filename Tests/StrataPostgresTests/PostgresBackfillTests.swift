import Foundation
@testable import Strata
import StrataLint
import StrataPostgres
import StrataTestSupport
import Testing

/// Batched backfills on a real server: every row changed once, progress saved per batch, a
/// failed run resumed from its last key, and code migrations' backfills.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresBackfillTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func migrator(code: [CodeMigration] = [], settings: BackfillSettings = BackfillSettings(firstBatchSize: 100), events: @escaping (MigrationEvent) -> Void = { _ in }) throws -> (Migrator, MigrateOptions) {
        let catalog = try LocationReader.read(locations: [folder.file("m")]).adding(code)
        let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)), catalog: catalog, onEvent: events)
        migrator.backfillReader = PostgresBackfillReader()
        return (migrator, MigrateOptions(backfill: settings))
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func everyRowChangesOnceByPrimaryKeyCompositeKeyAndCtid() throws {
        folder.write("m/V0__data.sql", """
            CREATE TABLE keyed (id int PRIMARY KEY, a int, b text);
            INSERT INTO keyed SELECT g, g, NULL FROM generate_series(1, 5000) g;
            CREATE TABLE pair (k text, n int, hits int NOT NULL DEFAULT 0, PRIMARY KEY (k, n));
            INSERT INTO pair SELECT chr(97 + g % 5), g, 0 FROM generate_series(1, 3000) g;
            CREATE TABLE heap (a int, hits int NOT NULL DEFAULT 0);
            INSERT INTO heap SELECT g, 0 FROM generate_series(1, 4000) g;
            """)
        folder.write("m/V1__fill.sql", """
            ALTER TABLE keyed ADD COLUMN c int;
            -- strata:backfill
            UPDATE keyed AS x SET c = x.a * 2, b = 'v;' || x.a WHERE x.c IS NULL;
            -- strata:backfill
            UPDATE pair SET hits = hits + 1;
            -- strata:backfill
            UPDATE heap SET hits = hits + 1 WHERE hits = 0;
            -- strata:backfill
            DELETE FROM keyed WHERE id % 10 = 0;
            CREATE INDEX keyed_c ON keyed (c);
            """)
        var progress: [BackfillProgress] = []
        let (migrator, options) = try migrator { if case .backfillProgress(_, let report) = $0 { progress.append(report) } }
        #expect(try migrator.migrate(options).applied.count == 2)
        #expect(try value("SELECT count(*), count(c), sum(c), count(*) FILTER (WHERE b = 'v;' || a) FROM keyed") == "4500|4500|22500000|4500")
        #expect(try value("SELECT count(*), min(hits), max(hits) FROM pair") == "3000|1|1")
        #expect(try value("SELECT count(*), min(hits), max(hits) FROM heap") == "4000|1|1")
        #expect(try value("SELECT to_regclass('keyed_c') IS NOT NULL, to_regclass('strata_backfill_state') IS NULL") == "t|t")
        let finished = progress.filter(\.finished)
        #expect(finished.map(\.line) == [3, 5, 7, 9])
        #expect(finished.map(\.rows) == [5000, 3000, 4000, 500])
    }

    /// README: with a primary key a batch is one statement, committed as it ends, so no round
    /// trip to the client happens while it holds its rows' locks.
    @Test func aBatchByPrimaryKeyIsOneStatementInATransactionOfItsOwn() throws {
        folder.write("m/V0__data.sql", """
            CREATE TABLE keyed (id int PRIMARY KEY, a int);
            INSERT INTO keyed SELECT g, g FROM generate_series(1, 2000) g;
            CREATE TABLE heap (a int);
            INSERT INTO heap SELECT g FROM generate_series(1, 2000) g;
            """)
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE keyed SET a = a + 1;\n")
        folder.write("m/V2__fill_heap.sql", "-- strata:backfill\nUPDATE heap SET a = a + 1;\n")
        let logged = ScriptedDatabase(wrapping: try PostgresDatabase(conninfo: server.url(database: database)), scriptedTimeouts: false, excludesOtherRuns: true)
        let migrator = Migrator(database: logged, catalog: try LocationReader.read(locations: [folder.file("m")]))
        migrator.backfillReader = PostgresBackfillReader()
        #expect(try migrator.migrate(MigrateOptions(backfill: BackfillSettings(firstBatchSize: 100))).applied.count == 3)
        #expect(try value("SELECT sum(a) - sum(id) FROM keyed") == "2000")
        var transactions: [[String]] = []
        var open: [String]?
        for statement in logged.sent {
            switch statement {
            case "BEGIN": open = []
            case "COMMIT", "ROLLBACK": transactions += open.map { [$0] } ?? []; open = nil
            default: open?.append(statement)
            }
        }
        let batches = transactions.filter { $0.contains { $0.contains("strata_keys") } }
        #expect(batches.count >= 2, "2,000 rows from batches of 100 upward")
        // The statement, then the setting that makes its COMMIT wait for the flush, which the run defers elsewhere.
        #expect(batches.allSatisfy { $0.count == 2 && $0.last == "SET LOCAL synchronous_commit TO DEFAULT" }, "\(batches)")
        // Without a key, by ctid: several statements, the same durable commit.
        let heapBatches = transactions.filter { $0.contains { $0.contains("UPDATE \"heap\"") } }
        #expect(heapBatches.count >= 2)
        #expect(heapBatches.allSatisfy { $0.last == "SET LOCAL synchronous_commit TO DEFAULT" }, "\(heapBatches)")
    }

    /// Batches walk block ranges up to the table's end when the fill began; an update that finds
    /// no room on its page writes the row elsewhere, here into the last page's free space, where a
    /// later batch walks. Before the batches skipped the versions they wrote, `SET a = a + 1`
    /// added 2 to 34 of these 2,000 rows. Without a WHERE, or with one the SET leaves true, the
    /// statement cannot tell done rows apart: no sweep (it would change every row again), and
    /// one warning, as the run starts or at the first batch that shows it.
    @Test(arguments: ["UPDATE heap SET a = a + 1;", "UPDATE heap SET a = a + 1 WHERE a > 0;"])
    func aFillWithoutAKeyChangesEveryRowOnceAndSaysItCannotSweep(statement: String) throws {
        folder.write("m/V0__data.sql", "CREATE TABLE heap (a int);\nINSERT INTO heap SELECT g FROM generate_series(1, 2000) g;\n")
        folder.write("m/V1__fill.sql", "-- strata:backfill\n\(statement)\n")
        var warnings: [String] = []
        let (migrator, options) = try migrator { if case .warning(let text) = $0 { warnings.append(text) } }
        #expect(try migrator.migrate(options).applied.count == 2)
        #expect(try value("SELECT sum(a) FROM heap") == "\(2000 * 2001 / 2 + 2000)")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("V1__fill.sql line 2: heap has no primary key, so its backfill walks the table by ctid") == true, "\(warnings)")
    }

    /// README: a batch that meets `lock_timeout` is retried, halved, after a backoff. Another
    /// session holds one row for a second; the batch over it gives up, the next attempts wait
    /// their turn, and every row still changes exactly once.
    @Test func aBatchThatMeetsALockTimeoutIsRetriedAndEveryRowChangesOnce() throws {
        folder.write("m/V0__data.sql", "CREATE TABLE t (id int PRIMARY KEY, hits int NOT NULL DEFAULT 0);\nINSERT INTO t SELECT g FROM generate_series(1, 3000) g;\n")
        let (setup, options) = try migrator()
        #expect(try setup.migrate(options).applied.count == 1)
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE t SET hits = hits + 1;\n")

        let holder = try PostgresDatabase(conninfo: server.url(database: database))
        try holder.execute("BEGIN")
        _ = try holder.query("SELECT id FROM t WHERE id = 1500 FOR UPDATE", [])
        let holding = Shared(holder)
        let releasing = Thread {
            Thread.sleep(forTimeInterval: 1)
            try? holding.value.execute("COMMIT")
        }
        releasing.start()
        var retries: [(failures: Int, pause: Int)] = []
        let (migrator, _) = try migrator { if case .lockRetry(_, let failures, let pause, _, _) = $0 { retries.append((failures, pause)) } }
        var contended = options
        contended.lockRetry = LockRetryPolicy(lockTimeoutMilliseconds: 100)
        #expect(try migrator.migrate(contended).applied.count == 1)
        // Halved batches short of the held row commit in between, so the count starts over.
        #expect(!retries.isEmpty && retries.first?.failures == 1 && retries.allSatisfy { $0.pause > 0 }, "\(retries)")
        #expect(try value("SELECT count(*), min(hits), max(hits) FROM t") == "3000|1|1")
    }

    /// Fills 600 rows, each sleeping 1 ms, while two other sessions sit in open transactions
    /// over a busy-session limit of one: the last progress report and the pauses between batches.
    private func fillWhileTwoSessionsAreBusy(table: String) throws -> (last: BackfillProgress?, pauses: [Duration]) {
        folder.write("m/V0__data.sql", "\(table);\nINSERT INTO t SELECT g, 0 FROM generate_series(1, 600) g;\n")
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE t SET a = 1 + 0 * length(pg_sleep(0.001)::text) WHERE a = 0;\n")
        let busy = try (0..<2).map { _ in try PostgresDatabase(conninfo: server.url(database: database)) }
        for session in busy { try session.execute("BEGIN"); _ = try session.query("SELECT 1", []) }
        var last: BackfillProgress?
        let (migrator, _) = try migrator { if case .backfillProgress(_, let progress) = $0 { last = progress } }
        var pauses: [Duration] = []
        migrator.sleep = { pauses.append($0) }
        let settings = BackfillSettings(firstBatchSize: 20, maximumReplicaLagMilliseconds: nil, maximumBusySessions: 1)
        #expect(try migrator.migrate(MigrateOptions(backfill: settings)).applied.count == 2)
        #expect(try value("SELECT count(*) FROM t WHERE a = 1") == "600")
        return (last, pauses)
    }

    /// The batches count the application's busy sessions, with a primary key (one statement per
    /// batch) and without (a ctid range): the other sessions of any database, this one's excepted.
    @Test(arguments: ["CREATE TABLE t (id int PRIMARY KEY, a int)", "CREATE TABLE t (id int, a int)"])
    func batchesCountTheApplicationsBusySessions(table: String) throws {
        let last = try fillWhileTwoSessionsAreBusy(table: table).last
        #expect(last?.busyLimit == 1 && (last?.busySessions ?? 0) >= 2, "\(String(describing: last))")
    }

    /// README: a role that cannot see other roles' sessions (no `pg_read_all_stats`) counts only
    /// its own: the two sessions in open transactions are the superuser's.
    @Test func aRoleWithoutReadAllStatsCountsOnlyItsOwnBusySessions() throws {
        let busy = try (0..<2).map { _ in try PostgresDatabase(conninfo: server.url(database: database)) }
        for session in busy { try session.execute("BEGIN"); _ = try session.query("SELECT 1", []) }
        let role = "strata_nostats_\(ProcessInfo.processInfo.processIdentifier)"
        try server.psql("CREATE ROLE \(role) LOGIN", database: database)
        let superuser = try PostgresDatabase(conninfo: server.url(database: database))
        let unprivileged = try PostgresDatabase(conninfo: server.url(database: database).replacingOccurrences(of: "postgres@", with: "\(role)@"))
        func count(_ session: PostgresDatabase) throws -> Int? {
            try session.query(BackfillStatements.busyApplicationSessions, []).first?.first?.int
        }
        #expect(try count(superuser).map { $0 >= 2 } == true)
        #expect(try count(unprivileged) == 0)
    }

    /// README: while more of the application's sessions are busy than allowed, the pauses grow to
    /// four times the batch's time. A batch of at least 10 rows takes 10 ms, so from the fifth
    /// pause on each is at least 40 ms.
    @Test func pausesGrowWhileTheApplicationsSessionsAreBusy() throws {
        let pauses = try fillWhileTwoSessionsAreBusy(table: "CREATE TABLE t (id int PRIMARY KEY, a int)").pauses
        #expect(pauses.count >= 6 && pauses.dropFirst(4).allSatisfy { $0 >= .milliseconds(40) }, "\(pauses)")
    }

    /// A table whose second half a vacuum left half empty: most rows the first batches change
    /// move ahead into that room, where later batches walk, and are skipped there.
    @Test func aFillOverFreeSpaceAheadChangesEveryRowOnce() throws {
        folder.write("m/V0__data.sql", """
            CREATE TABLE heap (a int, b int) WITH (autovacuum_enabled = off);
            INSERT INTO heap SELECT g, 0 FROM generate_series(1, 4000) g;
            DELETE FROM heap WHERE a > 2000 AND a % 2 = 0;
            """)
        let (first, options) = try migrator()
        #expect(try first.migrate(options).applied.count == 1)
        _ = try value("VACUUM heap")
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE heap SET b = b + 1;\n")
        let (second, _) = try migrator()
        #expect(try second.migrate(options).applied.count == 1)
        #expect(try value("SELECT count(*), min(b), max(b) FROM heap") == "3000|1|1")
    }

    /// A backfill of a table without a primary key that fails at row 1,900 of 2,000 (in the last
    /// page), its progress saved, and whose statement would now succeed: what a resumed run meets.
    private func failAKeylessFillHalfway() throws -> MigrateOptions {
        folder.write("m/V0__data.sql", """
            CREATE TABLE heap (a int, d int);
            INSERT INTO heap SELECT g, CASE WHEN g = 1900 THEN 0 ELSE 1 END FROM generate_series(1, 2000) g;
            CREATE FUNCTION step(d int) RETURNS int LANGUAGE sql AS 'SELECT 1 / d';
            """)
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE heap SET a = a + step(d);\n")
        let (first, options) = try migrator()
        _ = try #require(throws: BackfillFailedError.self) { try first.migrate(options) }
        _ = try value("CREATE OR REPLACE FUNCTION step(d int) RETURNS int LANGUAGE sql AS 'SELECT 1'")
        return options
    }

    /// What the batches wrote ahead and the walk's end are saved with each batch: a run that fails
    /// halfway and is resumed skips the versions the first run moved into the blocks left to walk,
    /// and does not walk the blocks its moves added.
    @Test func aResumedFillWithoutAKeyStillChangesEveryRowOnce() throws {
        let options = try failAKeylessFillHalfway()
        let saved = BackfillPosition.decode(try value("SELECT position FROM strata_backfill_state"))
        #expect(saved.count > 3 && saved.dropFirst(3).allSatisfy { CtidCursor.WrittenAhead($0) != nil }, "\(saved)")
        #expect(try value("SELECT pg_relation_size('heap') / current_setting('block_size')::int > \(saved[1])") == "t")
        let (second, _) = try migrator()
        #expect(try second.migrate(options).applied.count == 1)
        #expect(try value("SELECT sum(a) FROM heap") == "\(2000 * 2001 / 2 + 2000)")
    }

    /// A saved ctid position that was edited is refused before any batch runs, naming the file,
    /// the line and how to start over; the rows stay as the first run left them.
    @Test func anEditedCtidPositionIsRefusedWithoutChangingARow() throws {
        let options = try failAKeylessFillHalfway()
        let sum = try value("SELECT sum(a) FROM heap")
        _ = try value("UPDATE strata_backfill_state SET position = position || '4:junk'")
        let (second, _) = try migrator()
        let error = try #require(throws: UnreadableBackfillStateError.self) { try second.migrate(options) }
        #expect(error.step.migration.path.hasSuffix("m/V1__fill.sql"))
        #expect(error.description.hasPrefix("Migration \(error.step.migration.path) line 2: the saved progress of its backfill of heap in strata_backfill_state cannot be read"), "\(error)")
        #expect(error.description.contains("junk") && error.description.contains(#"`DELETE FROM "strata_backfill_state" WHERE script = 'V1__fill.sql' AND part = 0`"#), "\(error)")
        #expect(try value("SELECT sum(a) FROM heap") == sum)
    }

    /// The application updates a row the walk has not reached, and the row moves behind the walk
    /// (into room a vacuum freed) or beyond its end: the walk misses it, and the sweep that
    /// follows, by the statement's `WHERE`, finds it. No row is changed twice.
    @Test func aSweepFindsTheRowsTheApplicationMovedBehindTheWalk() throws {
        folder.write("m/V0__data.sql", """
            CREATE TABLE heap (a int, d int, b int, hits int NOT NULL DEFAULT 0);
            INSERT INTO heap (a, d) SELECT g, CASE WHEN g = 1900 THEN 0 ELSE 1 END FROM generate_series(1, 2000) g;
            CREATE FUNCTION step(d int) RETURNS int LANGUAGE sql AS 'SELECT 1 / d';
            """)
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE heap SET b = a * step(d), hits = hits + 1 WHERE b IS NULL;\n")
        var warnings: [String] = [], last: BackfillProgress?
        let (first, options) = try migrator {
            if case .warning(let text) = $0 { warnings.append(text) }
            if case .backfillProgress(_, let progress) = $0 { last = progress }
        }
        _ = try #require(throws: BackfillFailedError.self) { try first.migrate(options) }
        let saved = BackfillPosition.decode(try value("SELECT position FROM strata_backfill_state"))
        let (cursor, end) = (try #require(Int(saved[0])), try #require(Int(saved[1])))
        _ = try value("VACUUM heap")
        _ = try value("UPDATE heap SET d = d WHERE a = 1950")
        let moved = try #require(Int(try value("SELECT (ctid::text::point)[0]::int FROM heap WHERE a = 1950")))
        try #require(moved < cursor || moved >= end, "row 1950 moved to block \(moved), inside the walk's blocks \(cursor)..<\(end)")
        _ = try value("CREATE OR REPLACE FUNCTION step(d int) RETURNS int LANGUAGE sql AS 'SELECT 1'")
        #expect(try first.migrate(options).applied.count == 1)
        #expect(try value("SELECT count(*), count(*) FILTER (WHERE b IS DISTINCT FROM a), max(hits) FROM heap") == "2000|0|1")
        #expect(warnings.isEmpty, "\(warnings)")
        // The last report comes from the second sweep: the first found the row, the second nothing.
        #expect(last?.finished == true && last?.sweep == 2, "\(String(describing: last))")
    }

    @Test func commentsInTheStatementDoNotSwallowTheBatchRange() throws {
        folder.write("m/V0__data.sql", "CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, NULL FROM generate_series(1, 300) g;")
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE t SET a = id -- copy the key\nWHERE a IS NULL -- not filled yet\n;\n")
        let (migrator, options) = try migrator()
        #expect(try migrator.migrate(options).applied.count == 2)
        #expect(try value("SELECT count(a), sum(a) FROM t") == "300|45150")
    }

    @Test func aFailedBackfillKeepsItsBatchesAndTheNextRunContinues() throws {
        folder.write("m/V0__data.sql", """
            CREATE TABLE t (id int PRIMARY KEY, d int NOT NULL, hits int NOT NULL DEFAULT 0, q int);
            INSERT INTO t SELECT g, CASE WHEN g = 3000 THEN 0 ELSE 1 END, 0, NULL FROM generate_series(1, 5000) g;
            """)
        folder.write("m/V1__fill.sql", "CREATE TABLE side (id int);\n-- strata:backfill\nUPDATE t SET hits = hits + 1, q = 10 / d;\n")
        let (first, options) = try migrator()
        let error = try #require(throws: BackfillFailedError.self) { try first.migrate(options) }
        #expect(error.failure.line == 3)
        #expect(error.failure.code == "22012")
        #expect(error.description.contains("continues where this run stopped"))
        #expect(try first.history.read().compactMap(\.version?.text) == ["0"])
        let saved = try value("SELECT part, finished, rows_done > 0 FROM strata_backfill_state ORDER BY part")
        #expect(saved == "0|t|f\n1|f|t")
        #expect(try value("SELECT count(*) FILTER (WHERE hits = 1) BETWEEN 1 AND 2999, count(*) FILTER (WHERE hits > 1) FROM t") == "t|0")

        _ = try value("UPDATE t SET d = 1 WHERE id = 3000")
        let (second, _) = try migrator()
        #expect(try second.migrate(options).applied.count == 1)
        // The rows done before the failure were not changed again, and the table made before it was not made twice.
        #expect(try value("SELECT count(*), min(hits), max(hits), count(q) FROM t") == "5000|1|1|5000")
        #expect(try value("SELECT to_regclass('strata_backfill_state') IS NULL, to_regclass('side') IS NOT NULL") == "t|t")
        #expect(try second.history.read().compactMap(\.version?.text) == ["0", "1"])
    }

    /// The dry run is a run of the executor on a recording database: the plain parts each in a
    /// transaction with their saved state, the backfill as a note and the statement it carries
    /// out, the history row last. Its table does not exist yet, and nothing is read from it.
    @Test func theDryRunShowsThePartsAsTheyRun() throws {
        folder.write("m/V0__data.sql", "CREATE TABLE t (id int PRIMARY KEY, a int);\nINSERT INTO t SELECT g, g FROM generate_series(1, 100) g;\n")
        folder.write("m/V1__fill.sql", "ALTER TABLE t ADD COLUMN b int;\n-- strata:backfill\nUPDATE t AS x SET b = x.a WHERE x.b IS NULL;\nCREATE INDEX t_b ON t (b);\n")
        let (migrator, options) = try migrator()
        let lines = try migrator.previewMigrate(options).split(separator: "\n").map { SQLText.trimmed($0) }
        func index(_ prefix: String) -> Int? { lines.firstIndex { $0.hasPrefix(prefix) } }
        let note = try #require(index("-- backfill at line 3 of t: runs in short batches"), "\(lines)")
        #expect(Array(lines[(note + 1)...].prefix(3)) == ["BEGIN;", #"UPDATE "t" AS "x" SET b = x.a WHERE x.b IS NULL;"#,
                                                          #"INSERT INTO "strata_backfill_state" (script, part, checksum, position, rows_done, finished)"#], "\(lines)")
        let order = ["V1__fill.sql (in parts", "ALTER TABLE t ADD COLUMN b int", "-- backfill at line 3", "CREATE INDEX t_b ON t (b)",
                     #"INSERT INTO "strata_schema_history""#, #"DELETE FROM "strata_backfill_state""#, #"DROP TABLE "strata_backfill_state""#]
        let found = order.map { prefix in lines.lastIndex { $0.contains(prefix) } }
        #expect(found.allSatisfy { $0 != nil } && found.compactMap { $0 } == found.compactMap { $0 }.sorted(), "\(lines)")
        // README: "the plain parts each in its own transaction".
        let alter = try #require(index("ALTER TABLE t ADD COLUMN b int"))
        let create = try #require(index("CREATE INDEX t_b ON t (b)"))
        #expect(lines[alter - 1] == "BEGIN;" && lines[create - 1] == "BEGIN;", "\(lines)")
        #expect(lines[alter..<note].contains("COMMIT;") && lines[note..<create].contains("COMMIT;") && lines[create...].contains("COMMIT;"), "\(lines)")
        #expect(!lines.contains("UPDATE t AS x SET b = x.a WHERE x.b IS NULL;"), "the statement is not shown as one transaction of the migration")
        #expect(try value("SELECT to_regclass('t') IS NULL") == "t", "a dry run changes nothing")
    }

    @Test func theOfflineScriptShowsTheBackfillToo() throws {
        folder.write("m/V1__fill.sql", "CREATE TABLE t (id int PRIMARY KEY, a int);\n-- strata:backfill\nDELETE FROM t WHERE a < 0;\n")
        let script = try OfflineScript.make(catalog: try LocationReader.read(locations: [folder.file("m")]), dialect: PostgresDialect(), table: .defaultHistory,
                                            installedBy: "dba", from: nil, to: .latest, undo: false, backfillReader: PostgresBackfillReader())
        #expect(script.contains("-- backfill at line 3 of t: runs in short batches"), "\(script)")
        #expect(script.contains("BEGIN;\nDELETE FROM \"t\" WHERE a < 0;\nINSERT INTO \"strata_backfill_state\""), "\(script)")
    }

    /// Kept beside golang-migrate's table, a migration with a backfill is written to it with its
    /// history row, as any migration is; an interrupted one leaves it clean, so the next run continues.
    @Test func theOtherToolsHistoryFollowsABackfill() throws {
        folder.write("m/1_data.up.sql", "CREATE TABLE t (id int PRIMARY KEY, d int NOT NULL, q int);\nINSERT INTO t SELECT g, CASE WHEN g = 300 THEN 0 ELSE 1 END, NULL FROM generate_series(1, 500) g;\n")
        folder.write("m/2_fill.up.sql", "-- strata:backfill\nUPDATE t SET q = 10 / d WHERE q IS NULL;\n")
        let (first, options) = try migrator()
        first.companion = .golangMigrate
        #expect(throws: BackfillFailedError.self) { try first.migrate(options) }
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "1|f")

        _ = try value("UPDATE t SET d = 1 WHERE id = 300")
        let (second, _) = try migrator()
        second.companion = .golangMigrate
        #expect(try second.migrate(options).applied.count == 1)
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "2|f")
        #expect(try value("SELECT count(q) FROM t") == "500")
    }

    /// A table of 500 rows whose row 300 divides by zero, and a backfill `fill` that fails there.
    private func failPartWay(_ fill: String) throws -> MigrateOptions {
        folder.write("m/V0__data.sql", "CREATE TABLE t (id int PRIMARY KEY, d int NOT NULL); INSERT INTO t SELECT g, CASE WHEN g = 300 THEN 0 ELSE 1 END FROM generate_series(1, 500) g;")
        folder.write("m/V1__fill.sql", "-- strata:backfill\n\(fill)\n")
        let (first, options) = try migrator()
        #expect(throws: BackfillFailedError.self) { try first.migrate(options) }
        return options
    }

    @Test func aChangedFileIsNotResumedBlindly() throws {
        let options = try failPartWay("UPDATE t SET d = 10 / d;")
        folder.write("m/V1__fill.sql", "-- strata:backfill\nUPDATE t SET d = 10 / nullif(d, 0);\n")
        let error = try #require(throws: MigrationScriptError.self) { try migrator().0.migrate(options) }
        #expect(error.description.contains("changed since its backfill began") && error.description.contains("strata repair"))

        // `repair` forgets the progress the changed file cannot continue; the migration then runs from its start.
        let report = try migrator().0.repair()
        #expect(report.removedLeftovers.map(\.description) == ["the saved backfill progress of V1__fill.sql (what its finished parts did stays in the database)"])
        #expect(try value("SELECT to_regclass('strata_backfill_state') IS NULL") == "t")
        _ = try value("UPDATE t SET d = 1 WHERE id = 300")
        #expect(try migrator().0.migrate(options).applied.count == 1)
        // Run from the start: the rows the first run had divided are divided again.
        #expect(try value("SELECT count(*) FILTER (WHERE d = 1) BETWEEN 1 AND 299, count(*) FILTER (WHERE d IN (1, 10)) FROM t") == "t|500")
    }

    @Test func repairKeepsTheProgressOfABackfillThatMigrateContinues() throws {
        _ = try failPartWay("UPDATE t SET d = 10 / d WHERE d < 10;")
        let report = try migrator().0.repair()
        #expect(report.removedLeftovers.isEmpty && report.actions.isEmpty)
        #expect(try value("SELECT finished FROM strata_backfill_state WHERE script = 'V1__fill.sql'") == "f")
    }

    @Test func aStatementThatCannotBeBatchedStopsTheRunBeforeAnythingRuns() throws {
        folder.write("m/V1__first.sql", "CREATE TABLE first (id int);\nCREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE TABLE u (id int, a int);\n")
        folder.write("m/V2__join.sql", "\n-- strata:backfill\nUPDATE t SET a = u.a FROM u WHERE u.id = t.id;\n")
        let error = try #require(throws: MigrationScriptError.self) { try migrator().0.migrate(migrator().1) }
        #expect(error.line == 3)
        #expect(error.description.contains("V2__join.sql, line 3"))
        #expect(error.description.contains("joins other tables"))
        #expect(try value("SELECT to_regclass('first') IS NULL") == "t")
    }

    @Test func codeMigrationsBackfillOutsideATransaction() throws {
        folder.write("m/V1__data.sql", "CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, NULL FROM generate_series(1, 1000) g;\n")
        let batched = CodeMigration.versioned("2", "fill a", runsInTransaction: false) { db in
            try db.backfill("UPDATE t SET a = id WHERE a IS NULL")
            try db.backfill(Backfill(table: TableName(schema: nil, name: "t"), change: .delete, condition: "id > 900"))
        }
        let (migrator, options) = try migrator(code: [batched])
        #expect(try migrator.migrate(options).applied.count == 2)
        #expect(try value("SELECT count(*), sum(a) FROM t") == "900|405450")
        #expect(try value("SELECT to_regclass('strata_backfill_state') IS NULL") == "t")

        let inTransaction = CodeMigration.versioned("3", "in a transaction") { db in try db.backfill("UPDATE t SET a = 0") }
        let (refusing, _) = try self.migrator(code: [batched, inTransaction])
        let error = try #require(throws: MigrationFailedError.self) { try refusing.migrate(options) }
        #expect(error.failure.message.contains("runsInTransaction: false"))
    }
}

/// A real streaming replica (`pg_basebackup` of the test server): a backfill waits while the
/// replica's replay lag exceeds its bound.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresReplicaLagTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()

    @Test func aBackfillWaitsForALaggingReplica() throws {
        let database = try server.createDatabase()
        _ = try server.streamingReplica()
        folder.write("m/V1__data.sql", "CREATE TABLE t (id int PRIMARY KEY, a int);\nINSERT INTO t SELECT g, 0 FROM generate_series(1, 3000) g;\n")
        // Each row sleeps at least 1 ms: seconds of batches, during which the replica falls behind.
        folder.write("m/V2__fill.sql", "-- strata:backfill\nUPDATE t SET a = 1 + 0 * length(pg_sleep(0.001)::text) WHERE a = 0;\n")
        var lags: [Int] = []
        let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)), catalog: try LocationReader.read(locations: [folder.file("m")])) { event in
            if case .backfillProgress(_, let progress) = event, let lag = progress.replicaLagMilliseconds { lags.append(lag) }
        }
        migrator.backfillReader = PostgresBackfillReader()
        // Replay stops, so the lag grows with the first batches; it resumes 2.5 s later.
        try server.psqlOnReplica("SELECT pg_wal_replay_pause()")
        let resume = Thread {
            Thread.sleep(forTimeInterval: 2.5)
            _ = try? TestPostgres.shared!.psqlOnReplica("SELECT pg_wal_replay_resume()")
        }
        resume.start()
        #expect(try migrator.migrate(MigrateOptions(backfill: BackfillSettings(firstBatchSize: 100, maximumReplicaLagMilliseconds: 300))).applied.count == 2)
        #expect(lags.contains { $0 > 300 }, "no progress report said it waited for the replica: \(lags)")
        #expect(try server.psql("SELECT count(*) FROM t WHERE a = 1", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "3000")
    }
}
