import Foundation
@testable import Strata
import StrataLint
import StrataPostgres
import StrataSchema
import StrataTestSupport
import Testing

/// Every safe rewrite on a real server: the schema it leaves is the one the plain statement
/// leaves, read back by Strata's introspection; the history marks the migration rewritten; a
/// rewritten migration stopped between its steps resumes where it stopped.
@Suite(.enabled(if: TestPostgres.available && SafeRewriter.isAvailable, "PostgreSQL or libpg_query is not installed here; skipping"))
struct PostgresRewriteTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()

    static let setup = """
        CREATE TABLE parent (id int PRIMARY KEY);
        INSERT INTO parent SELECT generate_series(1, 10);
        CREATE TABLE t (id int NOT NULL, b int, p int);
        INSERT INTO t SELECT i, i, 1 + i % 10 FROM generate_series(1, 2000) i;
        """

    private func migrator(_ database: String, rewriting: Bool, onEvent: @escaping (MigrationEvent) -> Void = { _ in }) throws -> Migrator {
        let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)),
                                catalog: try LocationReader.read(locations: [folder.file("m")]), installedBy: "t", onEvent: onEvent)
        migrator.rewriter = rewriting ? SafeRewriter() : nil
        return migrator
    }

    private func schema(_ database: String) throws -> Schema {
        try PostgresDatabase(conninfo: server.url(database: database))
            .introspectSchema(namespaces: [], excluding: [QualifiedName(schema: nil, "strata_schema_history")])
    }

    /// A new database with `setup` applied as V1 by a run of its own: tables a run created
    /// itself are new to the rest of it, and left alone by the rewriter.
    private func database(setUpWith setup: String) throws -> String {
        folder.write("m/V1__setup.sql", setup)
        let database = try server.createDatabase()
        try migrator(database, rewriting: false).migrate()
        return database
    }

    /// Applies the setup, then in another run `migration` plainly to one database and rewritten
    /// to another; returns the rewritten one's name and the changes reported.
    @discardableResult
    private func expectSameSchema(_ migration: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (database: String, changes: [String]) {
        let plain = try self.database(setUpWith: Self.setup), rewritten = try self.database(setUpWith: Self.setup)
        folder.write("m/V2__change.sql", migration)
        try migrator(plain, rewriting: false).migrate()
        var changes: [String] = []
        let safe = try migrator(rewritten, rewriting: true) { if case .rewritten(_, let lines) = $0 { changes += lines } }
        try safe.migrate()
        #expect(!changes.isEmpty, "nothing was rewritten", sourceLocation: sourceLocation)
        #expect(try schema(rewritten) == schema(plain), sourceLocation: sourceLocation)
        let rows = try safe.historyEntries()
        #expect(rows.map(\.wasRewritten) == [false, true] && rows.allSatisfy(\.success), sourceLocation: sourceLocation)
        #expect(try safe.info().infos.last?.script == "V2__change.sql (rewritten)", sourceLocation: sourceLocation)
        #expect(try server.psql("SELECT to_regclass('strata_schema_history_progress') IS NULL", database: rewritten).hasPrefix("t"),
                "the progress table is gone", sourceLocation: sourceLocation)
        return (rewritten, changes)
    }

    /// The table V1 creates is new to the rest of the run: V2's index on it is built plainly, in
    /// V2's transaction. The next run rewrites the same statement on that table.
    @Test func tablesCreatedEarlierInTheRunAreNotRewritten() throws {
        folder.write("m/V1__setup.sql", Self.setup)
        folder.write("m/V2__change.sql", "CREATE INDEX t_b ON t (b);\n")
        let database = try server.createDatabase()
        var changes: [String] = []
        let first = try migrator(database, rewriting: true) { if case .rewritten(_, let lines) = $0 { changes += lines } }
        try first.migrate()
        let rows = try first.historyEntries()
        #expect(changes.isEmpty && rows.map(\.wasRewritten) == [false, false])
        folder.write("m/V3__again.sql", "CREATE INDEX t_p ON t (p);\n")
        try migrator(database, rewriting: true) { if case .rewritten(_, let lines) = $0 { changes += lines } }.migrate()
        #expect(changes.count == 1 && changes[0].contains("t_p"), "\(changes)")
    }

    /// README: "`SET NOT NULL` (no scan: the valid check proves it)". The table is read once, by
    /// the VALIDATE; the SET NOT NULL after it does not read it again (the scans counted in
    /// `pg_stat_user_tables`, flushed when the migrating session ends).
    @Test func setNotNullAfterTheValidatedCheckReadsTheTableNoMore() throws {
        let database = try self.database(setUpWith: Self.setup)
        func scans() throws -> Int {
            Int(try server.psql("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 't'", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        func settled(after start: Int) throws -> Int {
            let clock = ContinuousClock(), deadline = clock.now + .seconds(5)
            while try scans() == start && clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
            Thread.sleep(forTimeInterval: 0.3)
            return try scans()
        }
        let before = try settled(after: -1)
        folder.write("m/V2__change.sql", "ALTER TABLE t ALTER COLUMN b SET NOT NULL;\n")
        var changes: [String] = []
        do {
            try migrator(database, rewriting: true) { if case .rewritten(_, let lines) = $0 { changes += lines } }.migrate()
        }
        #expect(!changes.isEmpty)
        #expect(try settled(after: before) - before == 1, "the table was read more than once")
        #expect(try server.psql("SELECT attnotnull FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'b'", database: database).hasPrefix("t"))
    }

    @Test func createIndex() throws {
        try expectSameSchema("CREATE INDEX t_b ON t (b);\nCREATE UNIQUE INDEX t_id ON t (id) WHERE b > 0;\n")
    }

    @Test func foreignKeyAndCheck() throws {
        let (database, _) = try expectSameSchema("""
            ALTER TABLE t ADD FOREIGN KEY (p) REFERENCES parent (id) ON DELETE CASCADE;
            ALTER TABLE t ADD CONSTRAINT t_b_positive CHECK (b > 0);
            """)
        #expect(try server.psql("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 't'::regclass",
                                database: database).hasPrefix("t_b_positive:true,t_p_fkey:true"))
    }

    @Test func setNotNull() throws {
        try expectSameSchema("ALTER TABLE t ALTER COLUMN b SET NOT NULL;\n")
    }

    @Test func uniqueAndPrimaryKey() throws {
        try expectSameSchema("ALTER TABLE t ADD PRIMARY KEY (id);\nALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE (b);\n")
    }

    @Test func volatileDefault() throws {
        let (database, _) = try expectSameSchema("ALTER TABLE t ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();\n")
        #expect(try server.psql("SELECT count(*) FILTER (WHERE created_at IS NULL), count(*) FROM t", database: database).hasPrefix("0|2000"))
    }

    @Test func aTableCreatedInTheMigrationIsNotRewritten() throws {
        let (_, changes) = try expectSameSchema("CREATE TABLE n (id int);\nCREATE INDEX n_id ON n (id);\nCREATE INDEX t_b ON t (b);\n")
        #expect(changes.count == 1 && changes[0].contains("t_b"))
    }

    /// The dry run of `migration` after the setup, which it leaves as it was.
    private func preview(_ migration: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let database = try self.database(setUpWith: Self.setup)
        folder.write("m/V2__change.sql", migration)
        let script = try migrator(database, rewriting: true).previewMigrate()
        #expect(try server.psql("SELECT count(*) FROM strata_schema_history", database: database).hasPrefix("1\n"), "a dry run changes nothing", sourceLocation: sourceLocation)
        return script
    }

    @Test func theDryRunShowsTheSafeForm() throws {
        let script = try preview("CREATE INDEX t_b ON t (b);\nALTER TABLE t ALTER COLUMN b SET NOT NULL;\n")
        #expect(script.contains("CREATE INDEX CONCURRENTLY t_b ON t (b);"))
        #expect(script.contains("ADD CONSTRAINT strata_nn_t_b CHECK (b IS NOT NULL) NOT VALID;"))
        #expect(script.contains("VALIDATE CONSTRAINT strata_nn_t_b;"))
        #expect(script.contains("V2__change.sql (rewritten)"))
    }

    @Test func theDryRunShowsTheFillAsTheBackfillEngineRunsIt() throws {
        let script = try preview("ALTER TABLE t ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();\n")
        #expect(script.contains("ALTER TABLE t ALTER COLUMN created_at SET DEFAULT clock_timestamp();"))
        #expect(script.contains("-- backfill of t: runs in short batches by primary key (ctid without one), each its own transaction that saves its last key in strata_backfill_state; together they do:"), "\(script)")
        #expect(script.contains("UPDATE \"t\" SET created_at = DEFAULT WHERE created_at IS NULL;"), "\(script)")
        #expect(!script.contains("heap pages") && !script.contains("ctid >="), "\(script)")
        #expect(script.contains("DELETE FROM \"strata_backfill_state\" WHERE script = 'V2__change.sql';"), "\(script)")
    }

    /// A fill that fails part-way (its default raises after a thousand rows) keeps its committed
    /// batches; the next run continues after the last one. A NULL an application writes into a
    /// row the fill has not reached is overwritten by the default; one written into a row it
    /// already filled stays.
    /// `repair` keeps a failed rewritten migration that `migrate` continues (its file unchanged),
    /// and forgets one whose file changed, recorded steps and all, so that it runs from its start.
    @Test func repairKeepsWhatMigrateContinuesAndForgetsTheRest() throws {
        let database = try self.database(setUpWith: Self.setup + "INSERT INTO t VALUES (0, 0, 99);\n")
        folder.write("m/V2__change.sql", "ALTER TABLE t ADD CONSTRAINT t_parent FOREIGN KEY (p) REFERENCES parent (id);\n")
        #expect(throws: MigrationFailedError.self) { try migrator(database, rewriting: true).migrate() }
        let kept = try migrator(database, rewriting: true).repair()
        #expect(kept.actions.map(\.description).contains { $0.hasPrefix("Kept the failed entry for version 2") && $0.contains("first 1 step is committed") }, "\(kept.actions)")
        #expect(kept.removedLeftovers.isEmpty)
        #expect(try server.psql("SELECT phases_done FROM strata_schema_history_progress", database: database).hasPrefix("1"))

        // The file changes: the recorded step no longer belongs to it, and goes with the failed row.
        try server.psql("DELETE FROM t WHERE p = 99; ALTER TABLE t DROP CONSTRAINT t_parent", database: database)
        folder.write("m/V2__change.sql", "ALTER TABLE t ADD CONSTRAINT t_parent_id FOREIGN KEY (p) REFERENCES parent (id);\n")
        let repaired = try migrator(database, rewriting: true).repair()
        #expect(repaired.actions.contains { if case .removeFailed = $0 { true } else { false } }, "\(repaired.actions)")
        #expect(repaired.removedLeftovers.map(\.description) == ["the recorded steps of V2__change.sql (rewritten) (1 done; what they made stays in the database)"])
        #expect(try server.psql("SELECT to_regclass('strata_schema_history_progress') IS NULL", database: database).hasPrefix("t"))
        let rerun = try migrator(database, rewriting: true)
        try rerun.migrate()
        #expect(try rerun.historyEntries().map(\.success) == [true, true])
        #expect(try server.psql("SELECT convalidated FROM pg_constraint WHERE conname = 't_parent_id'", database: database).hasPrefix("t"))
    }

    @Test func anInterruptedFillContinuesAfterItsLastBatch() throws {
        let database = try self.database(setUpWith: """
            CREATE TABLE f (id int PRIMARY KEY, v int);
            INSERT INTO f SELECT g, g FROM generate_series(1, 2000) g;
            CREATE SEQUENCE fill_values;
            CREATE TABLE fail_after (n bigint);
            INSERT INTO fail_after VALUES (1000);
            CREATE FUNCTION next_fill() RETURNS bigint VOLATILE LANGUAGE plpgsql AS $$
            DECLARE v bigint := nextval('fill_values');
            BEGIN
                IF v > (SELECT n FROM fail_after) THEN RAISE EXCEPTION 'injected failure at %', v; END IF;
                RETURN v;
            END $$;
            """)
        folder.write("m/V2__fill.sql", "ALTER TABLE f ADD COLUMN c bigint DEFAULT next_fill();\n")
        let options = MigrateOptions(backfill: BackfillSettings(firstBatchSize: 100))
        let failure = try #require(throws: MigrationFailedError.self) { try migrator(database, rewriting: true).migrate(options) }
        #expect(failure.failedStep == 2 && failure.failure.message.contains("injected failure"), "\(failure)")
        let saved = try server.psql("SELECT part, finished, rows_done FROM strata_backfill_state WHERE script = 'V2__fill.sql'", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        #expect(saved.count == 3 && saved[0] == "1" && saved[1] == "f", "\(saved)")
        let done = Int(saved.last ?? "") ?? 0
        #expect(done > 0 && done <= 1000)
        #expect(try server.psql("SELECT count(c) FROM f", database: database).hasPrefix("\(done)\n"))

        // The application writes NULL into a filled row and into a new one, then the cause is fixed.
        try server.psql("UPDATE f SET c = NULL WHERE id = 1; INSERT INTO f (id, v, c) VALUES (5000, 0, NULL); UPDATE fail_after SET n = 1000000", database: database)
        var finished: [Int] = []
        let resumed = try migrator(database, rewriting: true) { if case .backfillProgress(_, let report) = $0, report.finished { finished.append(report.rows) } }
        try resumed.migrate(options)
        // Counted from where the first run stopped: the rows it filled were not walked again.
        #expect(finished == [2001], "\(finished)")
        #expect(try server.psql("SELECT count(*) FILTER (WHERE c IS NULL), string_agg(id::text, ',') FILTER (WHERE c IS NULL) FROM f", database: database).hasPrefix("1|1\n"))
        #expect(try resumed.historyEntries().map(\.success) == [true, true])
        #expect(try server.psql("SELECT to_regclass('strata_backfill_state') IS NULL AND to_regclass('strata_schema_history_progress') IS NULL", database: database).hasPrefix("t"))
    }

    @Test func aRewrittenIndexBuildDropsTheInvalidIndexAFailedBuildLeft() throws {
        let database = try self.database(setUpWith: Self.setup + "INSERT INTO t VALUES (1, 1, 1);\n")
        folder.write("m/V2__change.sql", "CREATE UNIQUE INDEX t_id ON t (id);\n")
        // The duplicate id fails the concurrent build, which leaves t_id behind, invalid.
        #expect(throws: MigrationFailedError.self) { try migrator(database, rewriting: true).migrate() }
        #expect(try server.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass", database: database).hasPrefix("f"))

        try server.psql("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE id = 1)", database: database)
        var warnings: [String] = []
        let rerun = try migrator(database, rewriting: true) { if case .warning(let text) = $0 { warnings.append(text) } }
        try rerun.migrate()
        #expect(warnings.contains { $0.contains("dropped the invalid index \"t_id\"") }, "\(warnings)")
        #expect(try server.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass", database: database).hasPrefix("t"))
        #expect(try rerun.historyEntries().last?.success == true)
    }

    /// The last step outside a transaction is recorded by the transaction that marks the
    /// migration applied: a run stopped between the two (here by a failing callback, as a kill
    /// would) has the index built but not recorded, and the next run finds it built.
    @Test func aRunStoppedAfterItsLastIndexBuildFindsTheIndexBuilt() throws {
        let database = try self.database(setUpWith: Self.setup)
        folder.write("m/V2__change.sql", "CREATE INDEX t_b ON t (b);\n")
        folder.write("m/afterEachMigrate.sql", "SELECT 1 / 0;\n")
        #expect(throws: (any Error).self) { try migrator(database, rewriting: true).migrate() }
        #expect(try server.psql("SELECT phases_done FROM strata_schema_history_progress", database: database).hasPrefix("0"))
        #expect(try server.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_b'::regclass", database: database).hasPrefix("t"))

        try FileManager.default.removeItem(atPath: folder.file("m/afterEachMigrate.sql"))
        var warnings: [String] = []
        let resumed = try migrator(database, rewriting: true) { if case .warning(let text) = $0 { warnings.append(text) } }
        try resumed.migrate()
        #expect(warnings.contains { $0.contains("interrupted after 0 of its 1 rewritten steps") }, "\(warnings)")
        #expect(try resumed.historyEntries().map(\.success) == [true, true])
        #expect(try server.psql("SELECT to_regclass('strata_schema_history_progress') IS NULL", database: database).hasPrefix("t"))
    }

    /// README: a migration that holds a backfill already runs in parts, each plain part as
    /// written: its index is built without CONCURRENTLY, and the history does not mark it rewritten.
    @Test func aMigrationWithABackfillRunsItsPlainPartsAsWritten() throws {
        let database = try self.database(setUpWith: Self.setup)
        folder.write("m/V2__change.sql", "CREATE INDEX t_b ON t (b);\n-- strata:backfill\nUPDATE t SET p = 1 WHERE p <> 1;\n")
        var rewritten = false
        let events = try self.migrator(database, rewriting: true) { if case .rewritten = $0 { rewritten = true } }
        events.backfillReader = PostgresBackfillReader()
        try events.migrate()
        #expect(!rewritten)
        #expect(try events.historyEntries().map(\.script) == ["V1__setup.sql", "V2__change.sql"])
        #expect(try server.psql("SELECT count(*) FROM pg_index WHERE indexrelid = 't_b'::regclass AND indisvalid", database: database).hasPrefix("1"))
        #expect(try server.psql("SELECT count(*) FROM t WHERE p <> 1", database: database).hasPrefix("0"))
    }

    @Test func aMigrationStoppedBetweenItsStepsResumesWhereItStopped() throws {
        let database = try self.database(setUpWith: Self.setup + "INSERT INTO t VALUES (0, 0, 99);\n")
        folder.write("m/V2__change.sql", "ALTER TABLE t ADD CONSTRAINT t_parent FOREIGN KEY (p) REFERENCES parent (id);\n")
        // The orphan row fails the VALIDATE step, after the NOT VALID step was committed and recorded.
        let failure = try #require(throws: MigrationFailedError.self) { try migrator(database, rewriting: true).migrate() }
        #expect(failure.failedStep == 2 && failure.description.contains("resumes at that step"), "\(failure)")
        // The step's own line 1 is not the file's: the step and the statement say where instead.
        #expect(failure.description.contains("failed at step 2: `ALTER TABLE t VALIDATE CONSTRAINT t_parent` →"), "\(failure)")
        let findings = try migrator(database, rewriting: true).validate()
        #expect(findings.map(\.description) == ["version 2 (V2__change.sql (rewritten)) failed at one of its recorded steps when it last ran. "
            + "While its file is unchanged, fix the cause and run `strata migrate` again, which resumes at that step (`strata repair` keeps the entry for it); "
            + "once the file changed, `strata repair` removes the entry and the migration runs from its start."])
        #expect(try server.psql("SELECT phases_done FROM strata_schema_history_progress", database: database).hasPrefix("1"))
        #expect(try server.psql("SELECT convalidated FROM pg_constraint WHERE conname = 't_parent'", database: database).hasPrefix("f"))

        try server.psql("INSERT INTO parent VALUES (99)", database: database)
        var warnings: [String] = []
        let resumed = try migrator(database, rewriting: true) { if case .warning(let text) = $0 { warnings.append(text) } }
        try resumed.migrate()
        #expect(warnings.contains { $0.contains("resuming at step 2") }, "\(warnings)")
        #expect(try server.psql("SELECT convalidated FROM pg_constraint WHERE conname = 't_parent'", database: database).hasPrefix("t"))
        #expect(try resumed.historyEntries().map(\.success) == [true, true])
        #expect(try server.psql("SELECT to_regclass('strata_schema_history_progress') IS NULL", database: database).hasPrefix("t"))
    }
}
