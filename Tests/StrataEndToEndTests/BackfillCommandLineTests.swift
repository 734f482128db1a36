import Foundation
import StrataTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Backfills and expand/contract phases through the built `strata` binary on a real server.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct BackfillCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private var url: String { server.url(database: database) }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// SIGKILL (a crash) and SIGINT (Ctrl-C); the second resume reports through the JSON log instead of `--json`.
    @Test(arguments: [SIGKILL, SIGINT])
    func aKilledBackfillResumesFromItsLastBatch(signal: Int32) throws {
        project.write("migrations/V1__data.sql", "CREATE TABLE t (id int PRIMARY KEY, hits int NOT NULL DEFAULT 0);\nINSERT INTO t (id) SELECT generate_series(1, 8000);\n")
        // Each row sleeps at least 0.2 ms, so the whole backfill takes seconds: time to kill it half way.
        project.write("migrations/V2__fill.sql", "-- strata:backfill\nUPDATE t SET hits = hits + 1 + 0 * length(pg_sleep(0.0002)::text);\n")
        let started = try StrataBinary.start(["migrate", "--url", url], in: project.path, interruptible: true)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let done = (try? value("SELECT coalesce(max(rows_done), 0) FROM strata_backfill_state")) ?? ""
            if let rows = Int(done), rows >= 1000 { break }
            usleep(50_000)
        }
        kill(started.0.processIdentifier, signal)
        _ = StrataBinary.finish(started)
        #expect(try value("SELECT count(*) FROM strata_schema_history WHERE version = '2'") == "0")
        let partial = try value("SELECT count(*) FILTER (WHERE hits = 1) FROM t")
        #expect((Int(partial) ?? 0) >= 1000 && (Int(partial) ?? 0) < 8000, "rows done before the kill: \(partial)")
        #expect(try value("SELECT max(rows_done) FROM strata_backfill_state") == partial)

        let resumed = try signal == SIGKILL ? strata("migrate", "--url", url, "--json") : strata("migrate", "--url", url, "--log-format", "json")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try value("SELECT count(*), min(hits), max(hits) FROM t") == "8000|1|1")
        #expect(try value("SELECT success FROM strata_schema_history WHERE version = '2'") == "t")
        #expect(try value("SELECT to_regclass('strata_backfill_state') IS NULL") == "t")
        let lines = resumed.stderr.split(separator: "\n").filter { $0.contains("\"backfill_progress\"") }
        let last = try #require(lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(last["finished"] as? Bool == true)
        #expect(last["rows"] as? Int == 8000)
        #expect(last["script"] as? String == "V2__fill.sql")
        if signal == SIGKILL {
            #expect((try? JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8))) != nil, "progress must not break --json")
        }
    }

    @Test func contractMigrationsWaitForTheFlag() throws {
        project.write("migrations/V1__expand.sql", "CREATE TABLE people (id int PRIMARY KEY, name text, full_name text);\n")
        project.write("migrations/V2__contract.sql", "-- strata:phase=contract\nALTER TABLE people DROP COLUMN name;\n")
        project.write("migrations/V3__more.sql", "CREATE TABLE more (id int);\n")
        let expand = try strata("migrate", "--url", url)
        #expect(expand.status == 0, "\(expand.stderr)")
        #expect(expand.stdout.contains("The schema is now at version 1"))
        #expect(try value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'name'") == "1")
        let status = try strata("status", "--url", url)
        #expect(status.stdout.contains("up to date; 2 await `strata migrate --contract`: V2 contract, V3 more."), "\(status.stdout)")
        let info = try strata("info", "--url", url)
        #expect(info.stdout.contains("awaiting_contract"))

        let contract = try strata("migrate", "--url", url, "--contract")
        #expect(contract.status == 0, "\(contract.stderr)")
        #expect(try value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'name'") == "0")
        #expect(try value("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM strata_schema_history") == "1,2,3")
    }

    @Test func newRenameColumnCarriesWhatTheMigrationsBuildReplayedOnAScratchDatabase() throws {
        project.write("migrations/V1__people.sql", """
            CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'anon' CHECK (name <> ''));
            CREATE INDEX people_name_idx ON people (name);
            INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 100) g;

            """)
        let created = try strata("new", "rename name", "--rename-column", "people.name:full_name", "--url", url)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == ["V2__rename_name.sql", "U2__rename_name.sql", "V3__rename_name_indexes.sql", "U3__rename_name_indexes.sql",
                                   "V4__rename_name_contract.sql"].map { "migrations/\($0)\n" }.joined())
        #expect(try value("SELECT count(*) FROM pg_tables WHERE tablename = 'people'") == "0", "read from a scratch database, not the live one")
        let expand = try String(contentsOfFile: project.file("migrations/V2__rename_name.sql"), encoding: .utf8)
        #expect(expand.contains("-- full_name carries name's definition as the schema the migrations build has it:"), "\(expand)")

        #expect(try strata("migrate", "--url", url).status == 0)
        let contracted = try strata("migrate", "--contract", "--url", url)
        #expect(contracted.status == 0, "\(contracted.stderr)")
        #expect(try value("SELECT column_default || ' ' || is_nullable FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'full_name'") == "'anon'::text NO")
        #expect(try value("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'people'") == "people_name_idx,people_pkey")
        let checks = try value("SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ',') FROM pg_constraint WHERE conrelid = 'people'::regclass AND contype = 'c'")
        #expect(checks == "people_name_check CHECK ((full_name <> ''::text))")

        project.write("migrations/V5__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY, amount int NOT NULL);\n")
        #expect(try strata("migrate", "--url", url).status == 0)
        let live = try strata("new", "cents", "--change-type", "accounts.amount:cents:bigint", "--definition-from", "database", "--url", url)
        #expect(live.status == 0, "\(live.stderr)")
        let retype = try String(contentsOfFile: project.file("migrations/V6__cents.sql"), encoding: .utf8)
        #expect(retype.contains("-- cents carries amount's definition as the database has it:") && retype.contains("NEW.amount := NEW.cents::integer;"), "\(retype)")
    }

    @Test func newRenameColumnWithoutAPostgreSQLServerSaysWhatItDoesNotCarry() throws {
        let created = try strata("new", "rename name", "--rename-column", "people.name:full_name")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("note: name's default, NOT NULL, constraints and indexes are not carried: no PostgreSQL server was given"), "\(created.stderr)")
        let expand = try String(contentsOfFile: project.file("migrations/V1__rename_name.sql"), encoding: .utf8)
        #expect(expand.contains("-- Not carried: name's default, NOT NULL, CHECK constraints, foreign keys and indexes, because no PostgreSQL server was given"))
        let missing = try strata("new", "rename nick", "--rename-column", "people.nick:handle", "--url", url, "--definition-from", "database")
        #expect(missing.status != 0 && missing.stderr.contains("has no table people"), "\(missing.stderr)")
    }

    @Test func newRenameColumnReadsOnlyTheURLItsDefinitionSourceNeeds() throws {
        let none = try strata("new", "rename name", "--rename-column", "people.name:full_name", "--definition-from", "none", "--url", "mysql://nowhere/shop")
        #expect(none.status == 0, "no URL is read with --definition-from none: \(none.stderr)")
        let expand = try String(contentsOfFile: project.file("migrations/V1__rename_name.sql"), encoding: .utf8)
        #expect(expand.contains("because --definition-from none was given"))
        let sqlite = try strata("new", "rename nick", "--rename-column", "people.nick:handle", "--dev-url", "sqlite:scratch.db", "--url", "mysql://nowhere/shop")
        #expect(sqlite.status == 2 && sqlite.stderr.contains("--dev-url sqlite:scratch.db is not a PostgreSQL server"), "\(sqlite.stderr)")
        #expect(sqlite.stderr.contains("give --dev-url postgresql://…, or --definition-from none"))
        #expect(!FileManager.default.fileExists(atPath: project.file("migrations/V2__rename_nick.sql")))
    }

    @Test func aGolangMigrateContractsDownFileSaysItCannotBeUndone() throws {
        project.write("migrations/1_people.up.sql", "CREATE TABLE people (id int PRIMARY KEY, name text);\n")
        project.write("migrations/1_people.down.sql", "DROP TABLE people;\n")
        let created = try strata("new", "rename name", "--rename-column", "people.name:full_name", "--definition-from", "none")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == ["2_rename_name.up.sql", "2_rename_name.down.sql", "3_rename_name_contract.up.sql", "3_rename_name_contract.down.sql"]
            .map { "migrations/\($0)\n" }.joined())
        let down = try String(contentsOfFile: project.file("migrations/3_rename_name_contract.down.sql"), encoding: .utf8)
        #expect(down == "-- Cannot be undone by a script: the contract drops people.name and its values with it; to go back, add it again and copy full_name into it by hand.\n")
        #expect(try String(contentsOfFile: project.file("migrations/2_rename_name.down.sql"), encoding: .utf8).contains("DROP COLUMN"))
    }

    /// README: the definition is replayed "on a scratch database of `--dev-url`'s PostgreSQL
    /// server": the configured `url` is not even read.
    @Test func newRenameColumnReplaysOnTheDevURLsServer() throws {
        project.write("migrations/V1__people.sql", "CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'anon');\n")
        let created = try strata("new", "rename name", "--rename-column", "people.name:full_name", "--dev-url", url, "--url", "mysql://nowhere/shop")
        #expect(created.status == 0, "\(created.stderr)")
        let expand = try String(contentsOfFile: project.file("migrations/V2__rename_name.sql"), encoding: .utf8)
        #expect(expand.contains("-- full_name carries name's definition as the schema the migrations build has it:"), "\(expand)")
        #expect(try value("SELECT count(*) FROM pg_tables WHERE tablename = 'people'") == "0", "replayed on a scratch database, not in the --dev-url one")
    }

    /// README: "Golang-migrate and dbmate down files (and Flyway `U` files) undo the expand and the
    /// index builds". Flyway: migrate, undo both, and the table is as it was; dbmate: the down
    /// section of the expand drops the trigger, its function and the new column.
    @Test func theUndoFilesOfAReplacementTakeTheTableBackAsItWas() throws {
        project.write("migrations/V1__people.sql", """
            CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'anon');
            CREATE INDEX people_name_idx ON people (name);
            INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 100) g;

            """)
        #expect(try strata("migrate", "--url", url).status == 0)
        let shape = """
            SELECT (SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'people')
                || ' ' || (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'people')
                || ' ' || (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'people'::regclass AND NOT tgisinternal)
                || ' ' || (SELECT count(*) FROM pg_proc WHERE proname LIKE 'strata%')
            """
        let before = try value(shape)
        #expect(try strata("new", "rename name", "--rename-column", "people.name:full_name", "--definition-from", "database", "--url", url).status == 0)
        #expect(try strata("migrate", "--url", url).status == 0)
        #expect(try value(shape) != before)
        let undone = try strata("undo", "--count", "2", "--url", url)
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try value(shape) == before)
        #expect(try value("SELECT count(*) FROM people") == "100")

        let dbmate = TemporaryFolder()
        dbmate.write("db/migrations/20260101000000_people.sql", "-- migrate:up\nCREATE TABLE people (id int PRIMARY KEY, name text);\n\n-- migrate:down\nDROP TABLE people;\n")
        let created = try StrataBinary.run(["new", "rename name", "--rename-column", "people.name:full_name", "--definition-from", "none", "--locations", "db/migrations"],
                                           in: dbmate.path)
        #expect(created.status == 0, "\(created.stderr)")
        let files = created.stdout.split(separator: "\n").map(String.init)
        let expand = try String(contentsOfFile: dbmate.file(try #require(files.first)), encoding: .utf8)
        let down = try #require(expand.range(of: "-- migrate:down")).upperBound
        let undo = String(expand[down...])
        #expect(undo.contains("DROP TRIGGER") && undo.contains("DROP FUNCTION") && undo.contains("DROP COLUMN"), "\(expand)")
    }

    @Test func newChangeTypeRefusesAConstraintThatDoesNotFitTheNewType() throws {
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY, amount text CONSTRAINT accounts_digits CHECK (amount ~ '^[0-9]+$'));\n")
        let refused = try strata("new", "cents", "--change-type", "accounts.amount:cents:bigint", "--url", url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: Restating accounts.amount's definition on cents (bigint) fails at the constraint accounts_digits: PostgreSQL says \"operator does not exist: bigint ~ text"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Change or drop it before the type change, or pass --definition-from none"))
        #expect(!FileManager.default.fileExists(atPath: project.file("migrations/V2__cents.sql")))
    }
}
