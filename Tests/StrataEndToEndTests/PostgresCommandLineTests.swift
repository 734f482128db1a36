import Foundation
import StrataTestSupport
import Testing

/// The built `strata` binary against a real PostgreSQL server.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private var url: String { server.url(database: database) }

    private func strata(_ arguments: String..., environment: [String: String] = [:]) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path, environment: environment)
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// README: the built-ins on PostgreSQL: the connection's database, the history table's
    /// schema (the first of `--schemas`), the table.
    @Test func theBuiltInPlaceholdersNameTheDatabaseAndSchema() throws {
        project.write("migrations/V1__seen.sql", "CREATE TABLE seen AS SELECT '${strata:database}' AS db, '${strata:schema}' AS sch, "
                      + "'${strata:table}' AS tab, '${strata:timestamp}'::timestamp AS at;\n")
        let migrated = try strata("migrate", "--url", url, "--schemas", "ledger", "--table", "deploys")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(try value("SELECT db, sch, tab, abs(extract(epoch FROM (now() AT TIME ZONE 'UTC') - at)) < 60 FROM ledger.seen") == "\(database)|ledger|deploys|t")
    }

    @Test func migrateInfoValidateAndNotices() throws {
        project.write("migrations/V1__people.sql", "CREATE TABLE people (id int, app text DEFAULT current_setting('application_name'));\nINSERT INTO people (id) VALUES (1);\n")
        project.write("migrations/V2__notice.sql", "DO $$ BEGIN RAISE NOTICE 'people: %', (SELECT count(*) FROM people); END $$;\n")
        let migrated = try strata("migrate", "--url", url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stderr.contains("NOTICE: people: 1"))
        project.write("migrations/V3__another_notice.sql", "DO $$ BEGIN RAISE NOTICE 'again'; END $$;\n")
        let json = try strata("migrate", "--url", url, "--json")
        #expect(json.stderr.contains("NOTICE: again"))
        project.write("migrations/V4__third_notice.sql", "DO $$ BEGIN RAISE NOTICE 'logged'; END $$;\n")
        let logged = try strata("migrate", "--url", url, "--log-format", "json")
        let notice = logged.stderr.split(separator: "\n").first { $0.contains("\"event\":\"notice\"") }
        #expect(notice?.contains("logged") == true, "a notice is an event of the JSON log: \(logged.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "notices must not break --json")
        #expect(migrated.stdout.contains("Applied 2 migrations"))
        #expect(try value("SELECT app FROM people") == "strata")
        #expect(try value("SELECT installed_by FROM strata_schema_history WHERE version = '1'") == "postgres")
        #expect(try strata("validate", "--url", url).status == 0)
        let info = try strata("info", "--url", url, "--json")
        #expect(info.stdout.components(separatedBy: "\"success\"").count == 5)
    }

    /// Strata's own protocol client serves connections without TLS; libpq, loaded only then,
    /// the others. The loader's trace (`LD_DEBUG=files`) names every library a process loads.
    @Test func libpqIsLoadedOnlyForTLS() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        let plain = try strata("migrate", "--url", url, environment: ["LD_DEBUG": "files"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stderr.contains("file=libc.so.6"), "the loader's trace is on")
        #expect(!plain.stderr.contains("libpq.so"))
        let tls = try strata("info", "--url", server.passwordURL(database: database), environment: ["LD_DEBUG": "files"])
        #expect(tls.status == 0 && tls.stdout.contains("success"), "\(tls.stderr)")
        #expect(tls.stderr.contains("file=libpq.so.5"))
    }

    @Test func keyValueStringsAndTheEnvironment() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        let keyValue = "host=\(server.socketDirectory) port=\(server.port) user=postgres dbname=\(database)"
        #expect(try strata("migrate", "--url", keyValue).status == 0)
        let fromEnvironment = try strata("info", "--url", "dbname=\(database)", environment: [
            "PGHOST": server.socketDirectory, "PGPORT": String(server.port), "PGUSER": "postgres",
        ])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stdout.contains("success"))
        #expect(try strata("info", environment: ["STRATA_URL": url]).stdout.contains("success"))
        project.write("migrations/V2__app.sql", "CREATE TABLE app AS SELECT current_setting('application_name') AS name;\n")
        #expect(try strata("migrate", "--url", keyValue + " application_name=deploy-42").status == 0)
        #expect(try value("SELECT name FROM app") == "deploy-42", "a name the user sets is kept")
    }

    @Test func baselineCreatesTheSchemasAndRecordsTheDatabaseUser() throws {
        project.write("migrations/V6__t.sql", "CREATE TABLE t (id int);\n")
        let baselined = try strata("baseline", "--url", url, "--schemas", "ledger", "--version", "5")
        #expect(baselined.status == 0, "\(baselined.stderr)")
        #expect(try value("SELECT type, version, installed_by FROM ledger.strata_schema_history") == "BASELINE|5|postgres")
    }

    @Test func schemasHoldTheHistoryAndLeadTheSearchPath() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        #expect(try strata("migrate", "--url", url, "--schemas", "app,audit").status == 0)
        #expect(try value("SELECT to_regclass('app.t') IS NOT NULL, to_regclass('app.strata_schema_history') IS NOT NULL, to_regnamespace('audit') IS NOT NULL") == "t|t|t")
        #expect(try strata("validate", "--url", url, "--schemas", "app,audit").status == 0)
    }

    @Test func tlsAndPasswordsWithoutLeakingThem() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\nINSERT INTO t SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n")
        let required = try strata("migrate", "--url", server.passwordURL(database: database, sslmode: "require"))
        #expect(required.status == 0, "\(required.stderr)")
        #expect(try value("SELECT id FROM t") == "1")
        let verified = try strata("info", "--url", server.passwordURL(database: database, sslmode: "verify-full"))
        #expect(verified.status == 0, "\(verified.stderr)")
        for result in [required, verified] {
            #expect(!(result.stdout + result.stderr).contains(server.password))
        }

        let wrong = "Wr0ng-Passw0rd-Here"
        let refused = try strata("migrate", "--url", server.passwordURL(database: database, password: wrong))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("password authentication failed"))
        #expect(!(refused.stdout + refused.stderr).contains(wrong))

        let badScheme = try strata("migrate", "--url", "mysql://user:\(wrong)@localhost/db")
        #expect(badScheme.status == 2)
        #expect(!badScheme.stderr.contains(wrong))
        let keyValue = try strata("info", "--url", "host=localhost port=\(server.port) user=\(server.passwordRole) password=\(wrong) dbname=\(database) sslmode=require")
        #expect(keyValue.status == 1)
        #expect(!(keyValue.stdout + keyValue.stderr).contains(wrong))
    }

    /// Every password form libpq accepts, through every command that shows where it works.
    @Test func noCommandShowsAPasswordInAnyForm() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        project.write("migrations/U1__t.sql", "DROP TABLE t;\n")
        project.write("strata.toml", "allow_clean = true\n")
        let secret = server.password
        let tls = "sslmode=require sslrootcert=\(server.certificateAuthority)"
        let base = "postgresql://\(server.passwordRole)@localhost:\(server.port)/\(database)"
        let forms = [
            "postgresql://\(server.passwordRole):\(secret)@localhost:\(server.port)/\(database)?sslmode=require&sslrootcert=\(server.certificateAuthority)",
            "\(base)?password=\(secret)&sslmode=require&sslrootcert=\(server.certificateAuthority)",
            "host=localhost port=\(server.port) user=\(server.passwordRole) dbname=\(database) \(tls) password = \(secret)",
            "host=localhost port=\(server.port) user=\(server.passwordRole) dbname=\(database) \(tls) password='\(secret)'",
        ]
        let commands = [["migrate"], ["migrate", "--json"], ["info"], ["info", "--json"], ["migrate", "--dry-run"], ["undo", "--dry-run"],
                        ["undo"], ["undo", "--json"], ["status", "--json"], ["validate"], ["config"], ["config", "--json"], ["clean"]]
        for url in forms {
            for command in commands {
                let result = try StrataBinary.run(command + ["--url", url], in: project.path)
                #expect(!(result.stdout + result.stderr).contains(secret), "\(command) printed the password of \(PasswordlessForm(url))")
                if command == ["migrate"] { #expect(result.status == 0, "\(result.stderr)") }
            }
        }
    }

    /// A connection string libpq cannot parse: its error quotes the string, or the token it
    /// stumbled on, which may be the password; every command, every output, the fleet's too.
    @Test func aURLLibpqCannotParseIsNotQuotedWithItsPassword() throws {
        let urls = ["postgresql://app:Pa%ss@127.0.0.1:\(server.port)/pw?sslmode=disable",
                    "postgres://app:Sw0rdfish-Secret@[::1:\(server.port)/pw",
                    "postgres://app:Sw0rdfish-Secret@[::1]x:\(server.port)/pw"]
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        project.write("targets.txt", urls.joined(separator: "\n") + "\n")
        for url in urls {
            for command in [["info"], ["info", "--json"], ["migrate", "--json"], ["diff", url, "migrations"]] {
                let result = try StrataBinary.run(command + ["--url", url], in: project.path)
                #expect(result.status != 0)
                for secret in ["Pa%ss", "Sw0rdfish-Secret"] {
                    #expect(!(result.stdout + result.stderr).contains(secret), "\(command): \(result.stdout)\(result.stderr)")
                }
            }
        }
        for command in [["status", "--targets", "targets.txt"], ["status", "--targets", "targets.txt", "--json"]] {
            let fleet = try StrataBinary.run(command, in: project.path)
            #expect(fleet.status == 1 && !fleet.stdout.contains("Pa%ss") && !fleet.stdout.contains("Sw0rdfish-Secret")
                    && !fleet.stderr.contains("Pa%ss") && !fleet.stderr.contains("Sw0rdfish-Secret"), "\(fleet.stdout)\(fleet.stderr)")
        }
    }

    @Test func everyHistoryRowRecordsTheDatabaseUser() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        project.write("migrations/V2__u.sql", "CREATE TABLE u (id int);\n")
        project.write("migrations/V3__v.sql", "CREATE TABLE v (id int);\n")
        project.write("migrations/U3__v.sql", "DROP TABLE v;\n")
        let url = server.passwordURL(database: database)
        #expect(try strata("migrate", "--url", url).status == 0)
        try FileManager.default.removeItem(atPath: project.file("migrations/V2__u.sql"))
        #expect(try strata("repair", "--url", url).status == 0)
        let undone = try strata("undo", "--url", url)
        #expect(undone.status == 0, "\(undone.stderr)")
        let rows = try value("SELECT type || ':' || installed_by FROM strata_schema_history ORDER BY installed_rank")
        let role = server.passwordRole
        #expect(rows == ["SQL", "SQL", "SQL", "DELETE", "UNDO_SQL"].map { "\($0):\(role)" }.joined(separator: "\n"))
    }

    @Test func passwordFileIsRead() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id int);\n")
        let passfile = project.write("pgpass", "localhost:\(server.port):*:\(server.passwordRole):\(server.password)\n")
        chmod(passfile, 0o600)
        let result = try strata("migrate", "--url", "postgresql://\(server.passwordRole)@localhost:\(server.port)/\(database)?sslmode=require",
                                environment: ["PGPASSFILE": passfile])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func eightConcurrentProcessesApplyEachMigrationOnce() throws {
        for version in 1...30 {
            project.write("migrations/V\(version)__step.sql", "CREATE TABLE t\(version) (id int);\nINSERT INTO t\(version) VALUES (\(version));\n")
        }
        let started = try (0..<8).map { _ in try StrataBinary.start(["migrate", "--url", url], in: project.path) }
        let results = started.map(StrataBinary.finish)
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        #expect(try value("SELECT count(*), count(DISTINCT version), bool_and(success) FROM strata_schema_history") == "30|30|t")
        let applied = results.map { $0.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  V") }.count }
        #expect(applied.reduce(0, +) == 30)
    }

    @Test func sigkillMidMigrationLeavesNothingHalfDone() throws {
        project.write("migrations/V1__first.sql", "CREATE TABLE first (id int);\n")
        project.write("migrations/V2__slow.sql", "CREATE TABLE slow (id int);\nINSERT INTO slow VALUES (1);\nSELECT pg_sleep(2);\nCREATE TABLE after_sleep (id int);\n")
        let running = try StrataBinary.start(["migrate", "--url", url], in: project.path)
        let deadline = Date().addingTimeInterval(20)
        while try value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2)%'") == "0" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(running.0.processIdentifier, SIGKILL)
        _ = StrataBinary.finish(running)
        // The server notices the dropped connection and rolls its transaction back.
        while try value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2)%'") != "0" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try value("SELECT to_regclass('slow') IS NULL, to_regclass('first') IS NOT NULL") == "t|t")
        #expect(try value("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM strata_schema_history") == "1")
        let rerun = try strata("migrate", "--url", url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try value("SELECT count(*) FROM slow") == "1")
    }

    @Test func aWaitingRunSaysWhoHoldsTheLockAndGivesUpAfterLockWait() throws {
        project.write("migrations/V1__slow.sql", "SELECT pg_sleep(4);\n")
        let holder = try StrataBinary.start(["migrate", "--url", url], in: project.path)
        let deadline = Date().addingTimeInterval(20)
        // The first statement of a migration shares its message with the BEGIN.
        while try value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(4)%' AND pid <> pg_backend_pid()") == "0"
                && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let waiter = try strata("migrate", "--url", url, "--lock-wait", "1.5")
        #expect(waiter.status == 1)
        #expect(waiter.stderr.contains("Waiting for the migration lock on strata_schema_history, held by pid"))
        #expect(waiter.stderr.contains("its session connected at"))
        #expect(waiter.stderr.contains("(strata)"))
        #expect(waiter.stderr.contains("Gave up after 1 s waiting for the migration lock"))
        #expect(StrataBinary.finish(holder).status == 0)
    }

    @Test func retriesArePrintedWithTheBlockingSession() throws {
        project.write("migrations/V1__t.sql", "CREATE TABLE busy (id int);\n")
        #expect(try strata("migrate", "--url", url).status == 0)
        project.write("migrations/V2__alter.sql", "ALTER TABLE busy ADD COLUMN b int;\n")
        let reader = try holdReadLock(on: "busy", seconds: 60)
        let running = try StrataBinary.start(["migrate", "--url", url, "--lock-timeout", "100", "--lock-timeout-max", "300", "--log-format", "json"],
                                             in: project.path)
        // Once the run has timed out and watches the reader's transaction, the reader ends. Only
        // this test's database: other tests' runs wait for their own readers at the same time.
        let deadline = Date().addingTimeInterval(30)
        while try value("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE '%virtualxid = ANY%'") == "0"
                && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try release(reader)
        let migrated = StrataBinary.finish(running)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("no lock within the timeout (blocked by pid"))
        #expect(migrated.stdout.contains("waiting for that transaction to end"))
        #expect(migrated.stdout.contains("retry 1 in"))
        // A retry that ends in success is a retry, not a failure.
        #expect(!migrated.stdout.contains("FAILED"))
        #expect(migrated.stderr.contains("\"event\":\"retry\"") && migrated.stderr.contains("\"blockedBy\":\"pid "), "the JSON log names the blocker")
        #expect(!migrated.stderr.contains("\"event\":\"step_failed\""))

        project.write("migrations/V3__alter.sql", "ALTER TABLE busy ADD COLUMN c int;\n")
        let longReader = try holdReadLock(on: "busy", seconds: 60)
        // Waiting for the reader is bounded too: after --blocker-wait the retry runs anyway.
        let gaveUp = try strata("migrate", "--url", url, "--lock-timeout", "50", "--lock-retries", "1", "--blocker-wait", "0.3")
        try release(longReader)
        #expect(gaveUp.status == 1)
        #expect(gaveUp.stderr.contains("55P03"))
        #expect(gaveUp.stderr.contains("after 1 retry"))
    }

    @Test func aRewrittenMigrationKilledBetweenItsStepsResumesAtTheNextOne() throws {
        project.write("migrations/V1__tables.sql", "CREATE TABLE a (v int);\nCREATE TABLE b (v int);\nINSERT INTO a VALUES (1);\nINSERT INTO b VALUES (1);\n")
        #expect(try strata("migrate", "--url", url).status == 0)
        // Four recorded steps: a's CHECK added NOT VALID, validated; then b's, validated.
        project.write("migrations/V2__checks.sql", "ALTER TABLE a ADD CONSTRAINT a_positive CHECK (v > 0);\nALTER TABLE b ADD CONSTRAINT b_positive CHECK (v > 0);\n")
        let reader = try holdReadLock(on: "b", seconds: 60)
        let running = try StrataBinary.start(["migrate", "--url", url], in: project.path)
        // Steps 1 and 2 done and recorded; step 3 waits for the reader of b, holding no lock.
        let deadline = Date().addingTimeInterval(30)
        while (try? value("SELECT phases_done FROM strata_schema_history_progress")) != "2" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Past step 3's lock timeout, the run waits for the reader (its output is still buffered).
        Thread.sleep(forTimeInterval: 0.5)
        kill(running.0.processIdentifier, SIGKILL)
        _ = StrataBinary.finish(running)
        try release(reader)
        let checks = try value("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0")
        #expect(checks == "a_positive:true", "\(checks)")
        #expect(try value("SELECT success FROM strata_schema_history WHERE version = '2'") == "f")

        let resumed = try strata("migrate", "--url", url)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("interrupted after 2 of its 4 rewritten steps; resuming at step 3"), "\(resumed.stderr)")
        let resumedChecks = try value("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0")
        #expect(resumedChecks == "a_positive:true,b_positive:true", "\(resumedChecks)")
        #expect(try value("SELECT string_agg(script || ':' || success, ',' ORDER BY installed_rank) FROM strata_schema_history") == "V1__tables.sql:true,V2__checks.sql (rewritten):true")
        #expect(try value("SELECT to_regclass('strata_schema_history_progress') IS NULL") == "t")
        #expect(try strata("validate", "--url", url).status == 0)
        // The run that finished it reports it applied, not "nothing to migrate".
        #expect(resumed.stdout.contains("Applied 1 migration"), "\(resumed.stdout)")
        // README: the rewritten migration is marked in `info` and `history`.
        let history = try strata("history", "--url", url)
        #expect(history.status == 0 && history.stdout.contains("checks (rewritten)"), "\(history.stdout)")
        let info = try strata("info", "--url", url)
        #expect(info.status == 0 && info.stdout.contains("checks (rewritten)"), "\(info.stdout)")
        // README: "`migrate` says so" as a migration runs in its safe form.
        project.write("migrations/V3__index.sql", "CREATE INDEX a_v ON a (v);\n")
        let indexed = try strata("migrate", "--url", url)
        #expect(indexed.status == 0 && indexed.stdout.contains("runs in its safe form, as recorded steps"), "\(indexed.stdout)")
        #expect(indexed.stdout.contains("CONCURRENTLY"), "\(indexed.stdout)")
    }

    /// Starts a psql session that reads `table` and sleeps inside its transaction, and returns once that
    /// session holds its lock: matched by a marker of its own, so a previous reader still leaving
    /// `pg_stat_activity` is never taken for it.
    private func holdReadLock(on table: String, seconds: Double) throws -> ReadLockHolder {
        let marker = "reader_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["psql", "-h", server.socketDirectory, "-p", String(server.port), "-U", "postgres", "-d", database,
                            "-qAtX", "-c", "BEGIN; SELECT count(*) AS \(marker) FROM \(table); SELECT pg_sleep(\(seconds)); COMMIT;"]
        reader.standardOutput = FileHandle.nullDevice
        try reader.run()
        // Generous: the suites run in parallel on two cores.
        let deadline = Date().addingTimeInterval(30)
        let holding = """
            SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
            WHERE a.pid <> pg_backend_pid() AND a.state = 'active' AND a.query LIKE '%\(marker)%'
              AND l.relation = '\(table)'::regclass AND l.granted
            """
        while try value(holding) == "0" {
            guard Date() < deadline, reader.isRunning else {
                if reader.isRunning { reader.terminate() }
                throw ReaderDidNotLock(table: table, exited: reader.isRunning ? nil : reader.terminationStatus)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return ReadLockHolder(process: reader, marker: marker)
    }

    /// Ends a reader's session at once instead of waiting out its sleep.
    private func release(_ reader: ReadLockHolder) throws {
        _ = try value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%\(reader.marker)%'")
        reader.process.waitUntilExit()
    }
}

/// The psql reader a test depends on never held its lock: the test cannot show what it means to.
private struct ReaderDidNotLock: Error, CustomStringConvertible {
    let table: String
    let exited: Int32?
    var description: String {
        "the psql reader never held its read lock on \(table)" + (exited.map { " (it exited with status \($0))" } ?? " within 30 s")
    }
}

/// A psql process holding a read lock, and the marker that finds its session.
private struct ReadLockHolder {
    let process: Process
    let marker: String
}

/// A URL as a failing expectation may show it: its form, not its password.
private struct PasswordlessForm: CustomStringConvertible {
    let url: String
    init(_ url: String) { self.url = url }
    var description: String { url.contains("://") ? (url.contains("?password") ? "a URL's password parameter" : "a URL's user information") : "a key=value string" }
}
