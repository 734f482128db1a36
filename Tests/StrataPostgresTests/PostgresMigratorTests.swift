import Foundation
@testable import Strata
import StrataPostgres
import StrataTestSupport
import Testing

@Test func postgresIsAvailableUnderCI() {
    #expect(!TestPostgres.requiredButMissing, "CI=true but PostgreSQL could not start: \(TestPostgres.startFailure ?? "")")
}

/// The migrator on a real PostgreSQL server: everything the SQLite suites prove, and what a
/// live server adds.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct PostgresMigratorTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func connect(schemas: [String] = []) throws -> PostgresDatabase {
        try PostgresDatabase(conninfo: server.url(database: database), schemas: schemas)
    }

    private func migrator(table: TableName = .defaultHistory, schemas: [String] = [], locations: [String]? = nil) throws -> Migrator {
        Migrator(database: try connect(schemas: schemas), catalog: try LocationReader.read(locations: locations ?? [folder.file("m")]),
                 table: table, installedBy: "tester")
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func recordsFlywayCompatibleHistoryRows() throws {
        folder.write("m/V1_1__Create_users.sql", "CREATE TABLE users (id int PRIMARY KEY);\n")
        folder.write("m/R__Users_view.sql", "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;\n")
        try migrator().migrate()
        let rows = try value("SELECT installed_rank, version, description, type, script, checksum, installed_by, success FROM strata_schema_history ORDER BY 1")
        #expect(rows == """
            1|1.1|Create users|SQL|V1_1__Create_users.sql|\(FlywayChecksum.of("CREATE TABLE users (id int PRIMARY KEY);"))|tester|t
            2||Users view|SQL|R__Users_view.sql|\(FlywayChecksum.of("CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;"))|tester|t
            """)
        #expect(try value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'strata_schema_history_pk'") == "PRIMARY KEY (installed_rank)")
        #expect(try migrator().info().infos.map(\.state) == [.success, .success])
    }

    /// A run's commits do not wait for the disk one by one (`synchronous_commit` is off while it
    /// runs, then back to the default); a setting someone made on purpose is kept.
    @Test func aRunWaitsForTheDiskOnceUnlessSomeoneChoseOtherwise() throws {
        folder.write("m/V1__Setting.sql", "CREATE TABLE seen AS SELECT current_setting('synchronous_commit') AS value;\n")
        let database = try connect()
        try Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]), table: .defaultHistory, installedBy: "tester").migrate()
        #expect(try value("SELECT value FROM seen") == "off")
        #expect(try database.query("SHOW synchronous_commit", []) == [[.text("on")]], "the session is back to the default")

        folder.write("m/V2__Again.sql", "INSERT INTO seen SELECT current_setting('synchronous_commit');\n")
        let chosen = server.url(database: self.database) + "&options=-c%20synchronous_commit%3Dlocal"
        try Migrator(database: try PostgresDatabase(conninfo: chosen), catalog: try LocationReader.read(locations: [folder.file("m")]),
                     table: .defaultHistory, installedBy: "tester").migrate()
        #expect(try value("SELECT value FROM seen ORDER BY value") == "local\noff")

        try server.psql("ALTER DATABASE \(self.database) SET synchronous_commit = remote_write")
        folder.write("m/V3__Database.sql", "INSERT INTO seen SELECT current_setting('synchronous_commit');\n")
        try migrator().migrate()
        #expect(try value("SELECT value FROM seen ORDER BY value") == "local\noff\nremote_write")
    }

    @Test func aFailingMigrationIsRolledBackWithItsLineAndSQLSTATE() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id int);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id int);\nINSERT INTO two VALUES (1);\n\nINSERT INTO two\n  VALUES ('not a number');\n")
        let migrator = try migrator()
        let error = try #require(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(error.failure.line == 4)
        #expect(error.failure.code == "22P02")
        #expect(error.failure.statement == "INSERT INTO two")
        #expect(error.description.contains("PostgreSQL error 22P02: invalid input syntax for type integer"))
        #expect(try value("SELECT to_regclass('two') IS NULL") == "t")
        #expect(try migrator.history.read().map(\.version?.text) == ["1"])
    }

    @Test func errorsCarryDetailAndHint() throws {
        folder.write("m/V1__Dup.sql", "CREATE TABLE d (id int PRIMARY KEY);\nINSERT INTO d VALUES (1), (1);\n")
        let error = try #require(throws: MigrationFailedError.self) { try migrator().migrate() }
        #expect(error.failure.code == "23505")
        #expect(error.failure.message.contains("detail: Key (id)=(1) already exists."))
        folder.write("m/V1__Dup.sql", "SELECT no_such_function(1);\n")
        let hinted = try #require(throws: MigrationFailedError.self) { try migrator().migrate() }
        #expect(hinted.failure.message.contains("hint: No function matches the given name and argument types."), "\(hinted.failure.message)")
    }

    @Test func repeatableBaselineRepairAndAdoption() throws {
        folder.write("m/V1__One.sql", "CREATE TABLE one (id int);\n")
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id int);\n")
        folder.write("m/R__Count.sql", "INSERT INTO one VALUES (1);\n")
        try migrator().migrate()
        folder.write("m/R__Count.sql", "INSERT INTO one VALUES (2);\n")
        #expect(try migrator().migrate().applied.map(\.step.reason) == [.outdated])
        #expect(try value("SELECT sum(id) FROM one") == "3")

        try FileManager.default.removeItem(atPath: folder.file("m/V1__One.sql"))
        folder.write("m/V2__Two.sql", "CREATE TABLE two (id bigint);\n")
        #expect(try migrator().validate().count == 2)
        #expect(try migrator().repair().actions.count == 2)
        #expect(try migrator().validate().isEmpty)
    }

    @Test func anExistingSchemaNeedsABaseline() throws {
        folder.write("m/V1__Existing.sql", "CREATE TABLE existing (id int);\n")
        folder.write("m/V2__New.sql", "CREATE TABLE added (id int);\n")
        try server.psql("CREATE TABLE existing (id int)", database: database)
        #expect(throws: UnmanagedSchemaError.self) { try migrator().migrate() }
        #expect(try migrator().migrate(MigrateOptions(baselineOnMigrate: true)).applied.map(\.step.migration.version?.text) == ["2"])
    }

    @Test func schemasAreCreatedAndHoldTheHistory() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE things (id int);\n")
        let database = try connect(schemas: ["app", "extra"])
        try database.createMissingSchemas()
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]),
                                table: TableName(schema: "app", name: "strata_schema_history"))
        try migrator.migrate()
        #expect(try value("SELECT to_regclass('app.things') IS NOT NULL, to_regclass('app.strata_schema_history') IS NOT NULL, to_regnamespace('extra') IS NOT NULL") == "t|t|t")
    }

    @Test func statementsThatRefuseATransactionRunOutsideOne() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE t (a int);\n")
        folder.write("m/V2__Index.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);\nVACUUM t;\n")
        try migrator().migrate()
        #expect(try value("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass") == "t")
        #expect(try migrator().history.read().map(\.success) == [true, true])
    }

    @Test func mixingRefusingAndOrdinaryStatementsNeedsTheDirective() throws {
        folder.write("m/V1__Mixed.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n")
        let error = try #require(throws: TransactionPolicyError.self) { try migrator().migrate() }
        #expect(error.problem == .mixed(refusingLines: [2]))
        #expect(try value("SELECT to_regclass('t') IS NULL") == "t")

        folder.write("m/V1__Mixed.sql", "-- strata:transaction=false\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n")
        try migrator().migrate()
        #expect(try value("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass") == "t")
    }

    @Test func aFailedConcurrentUniqueIndexIsRepairedAndRerun() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (1), (2);\n")
        folder.write("m/V2__Unique.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);\n")
        let error = try #require(throws: MigrationFailedError.self) { try migrator().migrate() }
        #expect(error.mode == .nonTransactional)
        #expect(error.leftovers.map(\.description) == ["the invalid index \"t_a_key\""])
        #expect(error.description.contains("the invalid index \"t_a_key\", which `strata repair` removes"))
        #expect(try migrator().history.read().map(\.success) == [true, false])
        #expect(throws: ValidationFailedError.self) { try migrator().migrate() }

        try server.psql("DELETE FROM t WHERE ctid NOT IN (SELECT min(ctid) FROM t GROUP BY a)", database: database)
        let repaired = try migrator().repair()
        #expect(repaired.removedLeftovers.count == 1)
        #expect(try value("SELECT to_regclass('t_a_key') IS NULL") == "t")
        try migrator().migrate()
        #expect(try value("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a_key'::regclass") == "t")
    }

    @Test func rerunNeverKeepsAnInvalidIndexBecauseOfIfNotExists() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (1);\n")
        folder.write("m/V2__Unique.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);\n")
        #expect(throws: MigrationFailedError.self) { try migrator().migrate() }
        try server.psql("DELETE FROM strata_schema_history WHERE NOT success; DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)", database: database)
        let preview = try migrator().previewMigrate()
        #expect(preview.contains("DROP INDEX CONCURRENTLY IF EXISTS \"t_a_key\";\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);"),
                "the dry run shows the drop a live rerun sends")
        var warnings: [String] = []
        let live = try migrator()
        live.onEvent = { if case .warning(let text) = $0 { warnings.append(text) } }
        try live.migrate()
        #expect(warnings.map { $0.split(separator: "/").last! } == ["V2__Unique.sql: dropped the invalid index \"t_a_key\", left by an earlier failed attempt, before running it again."])
        #expect(try value("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a_key'::regclass") == "t")
    }

    @Test func theMigrationLockIsPerHistoryTableOnAnIdleConnectionOfItsOwn() throws {
        let holder = try connect(), other = try connect()
        other.lockWait = .milliseconds(200)
        try holder.withMigrationLock(for: TableName(schema: nil, name: "history_a")) {
            // This test's database only: other suites take advisory locks on the same server.
            let session = try value("SELECT pid || ' ' || state FROM pg_stat_activity WHERE pid = (SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
                                    + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")
            let own = try holder.query("SELECT pg_backend_pid()::text", []).first?.first?.string ?? ""
            #expect(session.hasSuffix(" idle") && !session.hasPrefix(own + " "), "the lock's session is not the migration's and opens no transaction: \(session)")
            try other.withMigrationLock(for: TableName(schema: nil, name: "history_b")) {}
            #expect(throws: MigrationLockTimeout.self) { try other.withMigrationLock(for: TableName(schema: nil, name: "history_a")) {} }
        }
    }

    @Test func aMigrationOutsideATransactionRunsWithoutTheLockTimeout() throws {
        folder.write("m/V1__In.sql", "CREATE TABLE seen (step text, lock_timeout text, statement_timeout text);\n"
            + "INSERT INTO seen VALUES ('in', current_setting('lock_timeout'), current_setting('statement_timeout'));\n")
        folder.write("m/V2__Out.sql", "-- strata:transaction=false\n"
            + "INSERT INTO seen VALUES ('out', current_setting('lock_timeout'), current_setting('statement_timeout'));\n")
        try migrator().migrate(MigrateOptions(lockRetry: LockRetryPolicy(lockTimeoutMilliseconds: 300, statementTimeoutMilliseconds: 9_000)))
        #expect(try value("SELECT step || ' ' || lock_timeout || ' ' || statement_timeout FROM seen ORDER BY step") == "in 300ms 9s\nout 0 0")
    }

    @Test func scriptsThatCommitThemselvesAreRefusedBeforeAnythingRuns() throws {
        folder.write("m/V1__Ok.sql", "CREATE TABLE ok (a int);\n")
        folder.write("m/V2__Commits.sql", "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n")
        let error = try #require(throws: TransactionPolicyError.self) { try migrator().migrate() }
        #expect(error.problem == .transactionControl(lines: [1, 3]))
        #expect(try value("SELECT to_regclass('ok') IS NULL, to_regclass('t') IS NULL") == "t|t")
    }

    @Test func statementTimeoutBoundsAMigration() throws {
        folder.write("m/V1__Slow.sql", "CREATE TABLE t (a int);\nSELECT pg_sleep(2);\n")
        let error = try #require(throws: MigrationFailedError.self) {
            try migrator().migrate(MigrateOptions(lockRetry: LockRetryPolicy(statementTimeoutMilliseconds: 100)))
        }
        #expect(error.failure.code == "57014")
        #expect(error.failure.line == 2)
        #expect(try value("SELECT to_regclass('t') IS NULL") == "t")
    }

    @Test func psqlMetaCommandsAreErrorsNamingTheirLine() throws {
        folder.write("m/V1__Meta.sql", "CREATE TABLE t (a int);\n\\i other.sql\n")
        let error = try #require(throws: MigrationScriptError.self) { try migrator().migrate() }
        #expect(error.line == 2)
        #expect(try value("SELECT to_regclass('t') IS NULL") == "t")
    }

    @Test func aBlockedMigrationRetriesAndReadersAreNotStuckBehindIt() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE busy (a int);\nINSERT INTO busy VALUES (1);\n")
        try migrator().migrate()
        folder.write("m/V2__Alter.sql", "ALTER TABLE busy ADD COLUMN b int;\n")

        // A reader holds ACCESS SHARE on the table for two seconds.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["psql", "-h", server.socketDirectory, "-p", String(server.port), "-U", "postgres", "-d", database,
                            "-qAtX", "-c", "BEGIN; SELECT count(*) FROM busy; SELECT pg_sleep(2); COMMIT;"]
        reader.standardOutput = FileHandle.nullDevice
        try reader.run()
        Thread.sleep(forTimeInterval: 0.5)

        var retries: [String?] = []
        let clock = ContinuousClock()
        let longestReader = LongestDuration()
        let server = server, database = database
        let probing = Thread {
            // Other readers keep querying while the migration waits; none may wait for long.
            for _ in 0..<15 {
                let start = clock.now
                _ = try? TestPostgresProbe.count(server: server, database: database)
                longestReader.record(clock.now - start)
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        probing.start()
        let migrator = Migrator(database: try connect(), catalog: try LocationReader.read(locations: [folder.file("m")]), installedBy: "t") { event in
            if case .lockRetry(_, _, _, _, let blocker) = event { retries.append(blocker) }
        }
        try migrator.migrate(MigrateOptions(lockRetry: LockRetryPolicy(lockTimeoutMilliseconds: 100, maximumLockTimeoutMilliseconds: 400, retries: 30)))
        reader.waitUntilExit()
        while probing.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!retries.isEmpty)
        #expect(retries.contains { $0?.contains("psql") == true }, "\(retries)")
        #expect(try value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'b'") == "1")
        #expect(longestReader.value < .milliseconds(900), "a reader waited \(longestReader.value)")
    }

    @Test func eightConcurrentMigratorsApplyEachMigrationOnce() throws {
        for version in 1...25 {
            folder.write("m/V\(version)__Step.sql", "CREATE TABLE t\(version) (id int);\nINSERT INTO t\(version) VALUES (\(version));\n")
        }
        let url = server.url(database: database), location = folder.file("m")
        let failures = ConcurrentLog()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let migrator = Migrator(database: try PostgresDatabase(conninfo: url), catalog: try LocationReader.read(locations: [location]))
                try migrator.migrate()
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try value("SELECT count(*), count(DISTINCT version) FROM strata_schema_history") == "25|25")
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func golangMigrateExamplesMigrateAndUndo() throws {
        let migrator = try migrator(locations: [ConformanceFixtures.shared!.path("golang-migrate/database/postgres/examples/migrations")])
        #expect(try migrator.migrate().applied.count == 9)
        #expect(try value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_index'::regclass") == "t")
        // The four comment-only migrations have no down file: undo names them and touches nothing.
        let refused = try #require(throws: UndoRefused.self) { try migrator.undo(.count(9)) }
        #expect(refused.lacking.count == 4)
        #expect(try value("SELECT count(*) FROM strata_schema_history WHERE type = 'UNDO_SQL'") == "0")
        #expect(try value("SELECT to_regclass('users') IS NOT NULL") == "t")
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func dbmateUndoDryRunAndCallbacks() throws {
        let fixtures = ConformanceFixtures.shared!
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path("dbmate/testdata/db/migrations")) {
            folder.write("m/\(name)", try fixtures.text("dbmate/testdata/db/migrations/\(name)"))
        }
        folder.write("m/afterEachMigrate.sql", "CREATE TABLE IF NOT EXISTS log (event text);\nINSERT INTO log VALUES ('after each');\n")
        let migrator = try migrator()
        let preview = try migrator.previewMigrate()
        #expect(preview.contains("CREATE TABLE \"strata_schema_history\""))
        #expect(preview.contains("BEGIN;\n-- migrate:up"))
        #expect(try value("SELECT to_regclass('strata_schema_history') IS NULL") == "t", "a dry run creates nothing")
        #expect(try migrator.migrate().applied.count == 2)
        #expect(try value("SELECT count(*) FROM users") == "1")
        #expect(try value("SELECT count(*) FROM log") == "2")
        #expect(try migrator.previewUndo().contains("'UNDO_SQL'"))
        try migrator.undo(.count(2))
        #expect(try value("SELECT to_regclass('users') IS NULL, to_regclass('posts') IS NULL") == "t|t")
        #expect(try value("SELECT string_agg(type, ',' ORDER BY installed_rank) FROM strata_schema_history") == "SQL,SQL,UNDO_SQL,UNDO_SQL")
    }

    @Test func cleanDropsTheManagedSchemas() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE things (id int);\nCREATE VIEW thing_ids AS SELECT id FROM things;\n")
        let database = try connect(schemas: ["app"])
        try database.createMissingSchemas()
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]),
                                table: TableName(schema: "app", name: "strata_schema_history"))
        try migrator.migrate()
        #expect(try migrator.clean(schemas: ["app"]) == ["schema app"])
        #expect(try value("SELECT count(*) FROM pg_class WHERE relnamespace = 'app'::regnamespace") == "0")
        #expect(try migrator.migrate().applied.count == 1)
    }

    @Test func noticesReachTheCaller() throws {
        folder.write("m/V1__Notice.sql", "DO $$ BEGIN RAISE NOTICE 'hello from %', 'a migration'; END $$;\n")
        let database = try connect()
        let notices = ConcurrentLog()
        database.onNotice = { notices.add($0) }
        try Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")])).migrate()
        #expect(notices.all.contains("NOTICE: hello from a migration"))
    }
}

/// One short read through its own connection.
enum TestPostgresProbe {
    static func count(server: TestPostgres, database: String) throws -> Int {
        let connection = try PostgresDatabase(conninfo: server.url(database: database))
        return try connection.query("SELECT count(*) FROM busy", []).first?.first?.int ?? 0
    }
}

final class LongestDuration: @unchecked Sendable {
    private let lock = NSLock()
    private var longest: Duration = .zero

    func record(_ duration: Duration) {
        lock.withLock { longest = max(longest, duration) }
    }

    var value: Duration { lock.withLock { longest } }
}
