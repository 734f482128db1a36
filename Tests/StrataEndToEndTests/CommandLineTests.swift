import StrataTestSupport
import Foundation
import Testing

/// The built `strata` binary in temporary project folders.
@Suite struct CommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String..., environment: [String: String] = [:]) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path, environment: environment)
    }

    private func infoStates() throws -> [String] {
        let result = try strata("info", "--json")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        return (json["migrations"] as! [[String: Any]]).map { $0["state"] as! String }
    }

    @Test func initNewMigrateInfoValidate() throws {
        let initialized = try strata("init")
        #expect(initialized.status == 0)
        #expect(FileManager.default.fileExists(atPath: project.file("migrations/V1__create_example_table.sql")))
        #expect(try strata("init").status == 2)

        let created = try strata("new", "add authors")
        #expect(created.status == 0)
        #expect(created.stdout == "migrations/V2__add_authors.sql\n")
        project.write("migrations/V2__add_authors.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);\n")
        #expect(try strata("new", "authors view", "--repeatable").stdout == "migrations/R__authors_view.sql\n")
        project.write("migrations/R__authors_view.sql", "DROP VIEW IF EXISTS names;\nCREATE VIEW names AS SELECT name FROM authors;\n")

        #expect(try infoStates() == ["pending", "pending", "pending"])
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")), "info must not create the database")

        let migrated = try strata("migrate")
        #expect(migrated.status == 0)
        #expect(migrated.stdout.contains("V2      add authors"))
        #expect(migrated.stdout.contains("Applied 3 migrations in"))
        #expect(migrated.stdout.contains("The schema is now at version 2."))
        #expect(try infoStates() == ["success", "success", "success"])
        #expect(try strata("migrate").stdout.contains("Nothing to migrate: the schema is up to date at version 2."))

        let validated = try strata("validate")
        #expect(validated.status == 0)
        #expect(validated.stdout.split(separator: "\n").count == 1)
    }

    @Test func infoJSONHasEveryKey() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/R__view.sql", "CREATE VIEW IF NOT EXISTS v AS SELECT 1;\n")
        #expect(try strata("migrate", "--target", "latest").status == 0)
        let result = try strata("info", "--json")
        let entries = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any])["migrations"] as! [[String: Any]]
        let keys: Set = ["version", "description", "type", "script", "checksum", "state", "installedRank", "installedOn", "executionTimeMs", "undoable"]
        #expect(entries.allSatisfy { Set($0.keys).isSuperset(of: keys) })
        #expect(entries[0]["version"] as? String == "1")
        #expect(entries[1]["version"] is NSNull)
        #expect(entries[1]["installedRank"] as? Int == 2)
    }

    @Test func validateListsEveryFindingAndExitsOne() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        #expect(try strata("migrate").status == 0)
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id BIGINT);\n")
        try FileManager.default.removeItem(atPath: project.file("migrations/V1__one.sql"))
        let result = try strata("validate")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Validation failed with 2 findings"))
        #expect(result.stderr.contains("migrations/V2__two.sql: version 2 changed after it was applied"))
        #expect(result.stderr.contains("version 1 (V1__one.sql) was applied but its file is gone"))
        #expect(try strata("migrate").status == 1)

        let repaired = try strata("repair")
        #expect(repaired.status == 0)
        #expect(repaired.stdout.contains("Realigned version 2"))
        #expect(repaired.stdout.contains("Marked version 1 (V1__one.sql) as deleted"))
        #expect(try strata("validate").status == 0)
        #expect(try infoStates() == ["deleted", "success"])
    }

    @Test func migrateShowsDurationsStatusShowsFindingsAndHistoryShowsRepairsWithWhoWhenAndHowLong() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        let migrated = try strata("migrate")
        let steps = migrated.stdout.split(separator: "\n").filter { $0.hasPrefix("  V") }
        #expect(steps.count == 2 && steps.allSatisfy { $0.hasSuffix(" ms") }, "each migration with its duration: \(migrated.stdout)")
        #expect(migrated.stdout.contains("Applied 2 migrations in "))

        project.write("migrations/V2__two.sql", "CREATE TABLE two (id BIGINT);\n")
        let status = try strata("status")
        #expect(status.stdout.hasPrefix("Schema version 2; up to date."))
        #expect(status.stderr.contains("migrations/V2__two.sql: version 2 changed after it was applied"), "then the findings: \(status.stderr)")

        try FileManager.default.removeItem(atPath: project.file("migrations/V1__one.sql"))
        #expect(try strata("repair").status == 0)
        let rows = try strata("history").stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["Rank", "Version", "Description", "Type", "By", "On", "Time", "Outcome"])
        let deleted = try #require(rows.last)
        #expect(deleted.count == 10 && deleted[1] == "1" && deleted[3] == "DELETE" && !deleted[4].isEmpty, "\(deleted)")
        #expect(deleted[5].count == 10 && deleted.suffix(2) == ["ms", "success"], "the date, the time it took, the outcome: \(deleted)")
    }

    @Test func aFailedMigrationPrintsOneParagraphAndExitsOne() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n\nINSERT INTO nowhere\nVALUES (1);\n")
        let result = try strata("migrate")
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: Migration migrations/V2__two.sql failed at line 3 and was rolled back: `INSERT INTO nowhere` → SQLite error 1: no such table: nowhere. \
            Nothing from this migration was recorded and the migrations before it stay applied; fix the file and run `strata migrate` again.

            """)
        #expect(result.stdout.contains("V1      one"))
        #expect(try infoStates() == ["success", "pending"])
    }

    @Test func badFilesAreAllReportedAndNothingRuns() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2_x.sql", "SELECT 1;\n")
        project.write("migrations/Vx__y.sql", "SELECT 1;\n")
        project.write("migrations/V1.0__again.sql", "SELECT 1;\n")
        project.write("migrations/V3__latin1.sql", bytes: [0x2D, 0x2D, 0x20, 0xFF, 0x0A])
        let result = try strata("migrate")
        #expect(result.status == 1)
        for name in ["V2_x.sql", "Vx__y.sql", "V1.0__again.sql", "V3__latin1.sql: the file is not valid UTF-8 at byte offset 3"] {
            #expect(result.stderr.contains(name), "\(name)")
        }
        #expect(result.stderr.contains("4 problems"))
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try strata("migrate", "--no-such-flag").status == 2)
        #expect(try strata("migrate", "--url", "mysql://x").status == 2)
        #expect(try strata("migrate", "--url", "nourl").status == 2)
        #expect(try strata("migrate", "--target", "x.y").status == 2)
        #expect(try strata("info", "--locations", "does-not-exist").status == 2)
        #expect(try strata("frobnicate").status == 2)
        let help = try strata("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXIT CODES"))
    }

    @Test func urlsAndTheEnvironment() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        #expect(try strata("migrate", environment: ["STRATA_URL": "sqlite:from-env.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: project.file("from-env.db")))

        let absolute = project.file("absolute.db")
        #expect(try strata("migrate", "--url", "sqlite://" + absolute).status == 0)
        #expect(FileManager.default.fileExists(atPath: absolute))

        let memory = try strata("migrate", "--url", "sqlite::memory:")
        #expect(memory.status == 0)
        #expect(memory.stdout.contains("Applied 1 migration"))

        #expect(try strata("migrate", "--url", "sqlite:other.db", "--table", "flyway_schema_history").status == 0)
        let flyway = try strata("info", "--url", "sqlite:other.db", "--table", "flyway_schema_history")
        #expect(flyway.stdout.contains("success"))
    }

    @Test func baselineThenMigrate() throws {
        for version in 1...3 { project.write("migrations/V\(version)__step.sql", "CREATE TABLE t\(version) (id INT);\n") }
        let baselined = try strata("baseline", "--version", "2")
        #expect(baselined.status == 0)
        #expect(baselined.stdout.contains("Baselined at version 2"))
        let migrated = try strata("migrate", "--json")
        let json = try JSONSerialization.jsonObject(with: Data(migrated.stdout.utf8)) as! [String: Any]
        #expect((json["applied"] as! [[String: Any]]).map { $0["version"] as! String } == ["3"])
        #expect(try strata("baseline", "--version", "4").status == 1)
    }

    @Test func anExistingDatabaseIsAdoptedOnlyWhenAsked() throws {
        project.write("migrations/V1__existing.sql", "CREATE TABLE existing (id INT);\n")
        project.write("migrations/V2__more.sql", "CREATE TABLE more (id INT);\n")
        #expect(try strata("migrate", "--url", "sqlite:seed.db", "--target", "1", "--table", "other_history").status == 0)
        let refused = try strata("migrate", "--url", "sqlite:seed.db")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("strata baseline"))
        let adopted = try strata("migrate", "--url", "sqlite:seed.db", "--baseline-on-migrate")
        #expect(adopted.status == 0)
        #expect(adopted.stdout.contains("Recorded a baseline at version 1"))
        #expect(adopted.stdout.contains("Applied 1 migration"))
    }

    @Test func statusAndCheckGateDeploys() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        project.write("migrations/V3__three.sql", "CREATE TABLE three (id INT);\n")
        #expect(try strata("check").status == 3)
        let pending = try strata("status")
        #expect(pending.status == 0)
        #expect(pending.stdout == "No version applied; 3 pending: V1 one, V2 two, V3 three.\n")
        #expect(try strata("migrate", "--target", "next").stdout.contains("Applied 1 migration"))
        #expect(try strata("migrate", "--target", "+1").stdout.contains("now at version 2"))
        #expect(try strata("status", "--exit-code").status == 3)
        #expect(try strata("migrate", "--target", "-1").status == 2)
        #expect(try strata("migrate").status == 0)
        let upToDate = try strata("check")
        #expect(upToDate.status == 0)
        #expect(upToDate.stdout == "Schema version 3; up to date.\n")
        // A version older than the newest applied will never run (migrate skips it): validate
        // fails, and so does the gate.
        project.write("migrations/V2.5__late.sql", "CREATE TABLE late (id INT);\n")
        let ignored = try strata("check")
        #expect(ignored.status == 1 && ignored.stderr.contains("V2.5__late.sql: version 2.5 is pending but older than"), "\(ignored.stderr)")
        #expect(try strata("validate").status == 1)
        try FileManager.default.removeItem(atPath: project.file("migrations/V2.5__late.sql"))
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id BIGINT);\n")
        #expect(try strata("check").status == 1)
    }

    @Test func undoToATargetAtOrAboveTheSchemaSaysWhereItIs() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/U1__one.sql", "DROP TABLE one;\n")
        #expect(try strata("undo").stdout.contains("Nothing to undo: no migration is applied."))
        #expect(try strata("migrate").status == 0)
        let above = try strata("undo", "--target", "7")
        #expect(above.status == 0 && above.stdout.contains("Nothing to undo: the schema is at version 1, and nothing above the target is applied."), "\(above.stdout)")
        // A failed undo with --json still prints its report.
        project.write("migrations/U1__one.sql", "DROP TABLE nowhere;\n")
        let failed = try strata("undo", "--json")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any], "\(failed.stdout)\(failed.stderr)")
        #expect(failed.status == 1 && report["success"] as? Bool == false && (report["error"] as? String)?.contains("nowhere") == true, "\(report)")
    }

    @Test func undoWithAllThreeLayouts() throws {
        project.write("flyway/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("flyway/U1__one.sql", "DROP TABLE one;\n")
        project.write("flyway/V2__two.sql", "CREATE TABLE two (id INT);\n")
        #expect(try strata("migrate", "--locations", "flyway").status == 0)
        let refused = try strata("undo", "--locations", "flyway", "--count", "2")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Nothing was undone: version 2 (V2__two.sql) has no down script"))
        project.write("flyway/U2__two.sql", "DROP TABLE two;\n")
        let undone = try strata("undo", "--locations", "flyway", "--count", "2")
        #expect(undone.status == 0)
        #expect(undone.stdout.contains("U2      two"))
        #expect(undone.stdout.contains("Undid 2 migrations"))
        #expect(try strata("undo", "--locations", "flyway", "--count", "1", "--target", "1").status == 2)
        #expect(try strata("migrate", "--locations", "flyway").status == 0)
        #expect(try strata("undo", "--locations", "flyway", "--target=-1").stdout.contains("Undid 1 migration"))
        #expect(try strata("undo", "--locations", "flyway", "--target=-x").status == 2)

        project.write("golang/1_users.up.sql", "CREATE TABLE users (id INT);\n")
        project.write("golang/1_users.down.sql", "DROP TABLE users;\n")
        #expect(try strata("migrate", "--locations", "golang", "--url", "sqlite:golang.db").stdout.contains("V1      users"))
        #expect(try strata("undo", "--locations", "golang", "--url", "sqlite:golang.db").stdout.contains("Undid 1 migration"))

        project.write("dbmate/20240101120000_users.sql", "-- migrate:up\nCREATE TABLE users (id INT);\n-- migrate:down\nDROP TABLE users;\n")
        let dbmate = try strata("migrate", "--locations", "dbmate", "--url", "sqlite:dbmate.db", "--format", "dbmate")
        #expect(dbmate.stdout.contains("V20240101120000  users"))
        #expect(try strata("info", "--locations", "dbmate", "--url", "sqlite:dbmate.db").stdout.contains("yes"))
        #expect(try strata("migrate", "--locations", "dbmate", "--format", "liquibase").status == 2)
    }

    @Test func placeholdersFromTheCommandLine() throws {
        project.write("migrations/V1__table.sql", "CREATE TABLE ${name} (id INT, who TEXT DEFAULT '${strata:user}', file TEXT DEFAULT '${strata:filename}');\n")
        let missing = try strata("migrate")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("migrations/V1__table.sql: line 1: the placeholder ${name} has no value"))
        #expect(try strata("migrate", "-p", "name=things", environment: ["USER": "deployer"]).status == 0)
        #expect(try strata("validate", "-p", "name=other").status == 0, "versioned checksums cover the raw text")
        #expect(try strata("migrate", "-p", "novalue").status == 2)
        let script = try strata("sql", "--dialect", "sqlite", "-p", "name=things")
        #expect(script.stdout.contains("CREATE TABLE things (id INT, who TEXT DEFAULT '"))
        #expect(script.stdout.contains("file TEXT DEFAULT 'V1__table.sql'"))
    }

    /// Values only a deploy knows are not needed to read the history: info, status, validate
    /// and history work without them; migrate still refuses before anything runs.
    @Test func reportsWorkWithoutPlaceholderValuesThatOnlyADeployKnows() throws {
        project.write("migrations/V1__seed.sql", "CREATE TABLE admins (name TEXT);\nINSERT INTO admins VALUES ('${admin_name}');\n")
        #expect(try strata("migrate", "-p", "admin_name=root").status == 0)
        for command in [["info"], ["status", "--exit-code"], ["validate"], ["history"], ["check"]] {
            let result = try StrataBinary.run(command, in: project.path)
            #expect(result.status == 0, "\(command): \(result.stdout)\(result.stderr)")
        }
        // A repeatable's checksum covers its values: without them it reads as changed (README).
        project.write("migrations/R__admin_view.sql", "CREATE VIEW IF NOT EXISTS named AS SELECT * FROM admins WHERE name = '${admin_name}';\n")
        #expect(try strata("migrate", "-p", "admin_name=root").status == 0)
        let info = try JSONSerialization.jsonObject(with: Data(try strata("info", "--json").stdout.utf8)) as? [String: Any]
        let states = (info?["migrations"] as? [[String: Any]])?.map { "\($0["script"] ?? ""):\($0["state"] ?? "")" }
        #expect(states == ["V1__seed.sql:success", "R__admin_view.sql:outdated"], "\(String(describing: states))")
        project.write("migrations/V2__more.sql", "INSERT INTO admins VALUES ('${admin_name}');\n")
        #expect(try strata("info").stdout.contains("pending"))
        let refused = try strata("migrate")
        #expect(refused.status == 1 && refused.stderr.contains("the placeholder ${admin_name} has no value"), "\(refused.stderr)")
    }

    /// README: `strata baseline [--version V] [--description D]`, V by default 1.
    @Test func baselineRecordsVersionOneByDefaultWithTheGivenDescription() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        let baseline = try strata("baseline", "--description", "prod import")
        #expect(baseline.status == 0, "\(baseline.stderr)")
        let rows = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "strata.db", "SELECT version, description, type FROM strata_schema_history"], in: project.path)
        #expect(rows.stdout == "1|prod import|BASELINE\n", "\(rows.stdout)")
        let migrated = try strata("migrate")
        #expect(migrated.stdout.contains("V2") && !migrated.stdout.contains("V1 "), "\(migrated.stdout)")
    }

    /// README: the built-ins `${strata:database}`, `${strata:schema}`, `${strata:table}` and
    /// `${strata:timestamp}` (SQLite: the file, `main`, the history table, UTC now); `strata sql`
    /// knows no database, so its `${strata:database}` is empty.
    @Test func theBuiltInPlaceholdersSayWhereAndWhen() throws {
        project.write("migrations/V1__seen.sql", "CREATE TABLE seen AS SELECT '${strata:database}' AS db, '${strata:schema}' AS sch, "
                      + "'${strata:table}' AS tab, '${strata:timestamp}' AS at, datetime('now') AS now;\n")
        let migrated = try strata("migrate", "--url", "sqlite:app.db", "--table", "deploys")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let row = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "app.db", "SELECT db, sch, tab, abs(strftime('%s', now) - strftime('%s', at)) < 60 FROM seen"], in: project.path)
        #expect(row.stdout == "app.db|main|deploys|1\n", "\(row.stdout)\(row.stderr)")
        let script = try strata("sql", "--dialect", "sqlite", "--table", "deploys")
        #expect(script.stdout.contains("SELECT '' AS db, '' AS sch, 'deploys' AS tab, '20"), "\(script.stdout)")
    }

    @Test func theOfflinePostgresScriptShowsTheSafeFormUnlessSafetyIsOff() throws {
        project.write("migrations/V1__table.sql", "CREATE TABLE t (id int, b int);\nCREATE INDEX t_id ON t (id);\n")
        project.write("migrations/V2__index.sql", "CREATE INDEX t_b ON t (b);\n")
        let fromEmpty = try strata("sql", "--dialect", "postgres")
        #expect(fromEmpty.stdout.contains("CREATE INDEX t_id ON t (id);"), "a table created in the migration is left alone")
        #expect(fromEmpty.stdout.contains("CREATE INDEX t_b ON t (b);") && !fromEmpty.stdout.contains("CONCURRENTLY"),
                "and one created earlier in the same run: \(fromEmpty.stdout)")
        let safe = try strata("sql", "--dialect", "postgres", "--from", "1")
        #expect(safe.stdout.contains("CREATE INDEX CONCURRENTLY t_b ON t (b);"), "\(safe.stdout)")
        #expect(safe.stdout.contains("'V2__index.sql (rewritten)'"))
        // The script computes ranks as it runs: its progress row names the rank its history row got.
        #expect(safe.stdout.contains("(installed_rank, phases_done) VALUES ((SELECT max(installed_rank) FROM "), "\(safe.stdout)")
        #expect(!safe.stdout.contains("phases_done) VALUES (2, 0)"))
        project.write("strata.toml", "safety = \"off\"\n")
        let plain = try strata("sql", "--dialect", "postgres", "--from", "1")
        #expect(plain.stdout.contains("CREATE INDEX t_b ON t (b);") && !plain.stdout.contains("CONCURRENTLY"))
    }

    @Test func configurationFileEnvironmentsAndClean() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE ${table} (id INT);\n")
        project.write("strata.toml", """
            url = "sqlite:top.db"
            password = "not-shown-anywhere"
            [placeholders]
            table = "from_top"
            [environments.dev]
            url = "sqlite:dev.db"
            allow_clean = true
            [environments.dev.placeholders]
            table = "from_dev"
            [environments.ci]
            url = "sqlite:${env.CI_DATABASE}"
            """)
        #expect(try strata("migrate").status == 0)
        #expect(FileManager.default.fileExists(atPath: project.file("top.db")))
        #expect(try strata("migrate", environment: ["STRATA_ENVIRONMENT": "dev"]).stdout.contains("Applied 1 migration"))
        #expect(try strata("migrate", "--environment", "ci", environment: ["CI_DATABASE": "ci.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: project.file("ci.db")))
        #expect(try strata("info", "--environment", "dev", "--url", "sqlite:flag.db").stdout.contains("Database: sqlite:flag.db"))
        #expect(try strata("info", "--environment", "dev", environment: ["STRATA_URL": "sqlite:var.db"]).stdout.contains("Database: sqlite:var.db"))

        let shown = try strata("config", "--environment", "dev")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("sqlite:dev.db") && shown.stdout.contains("strata.toml:6"))
        #expect(shown.stdout.contains("placeholders.table") && shown.stdout.contains("from_dev"))
        #expect(!shown.stdout.contains("not-shown-anywhere"))
        #expect(try strata("sql", "--dialect", "sqlite", "--environment", "dev").stdout.contains("CREATE TABLE from_dev"))

        let missing = try strata("info", "--environment", "ci")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("strata.toml:11: environments.ci.url: the environment variable CI_DATABASE is not set"))
        #expect(try strata("info", "--environment", "staging").status == 2)
        #expect(try strata("info", "--config", "nowhere.toml").status == 2)

        let refused = try strata("clean")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("allow_clean = true"))
        #expect(try strata("clean", "--environment", "dev").stdout.contains("dropped 2 objects"))
        #expect(try strata("info", "--environment", "dev", "--json").stdout.contains("\"pending\""))

        project.write("strata.toml", "url = \"sqlite:top.db\"\nlocktimeout = 5\n")
        let unknown = try strata("info")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("strata.toml:2: locktimeout: unknown key"))
    }

    @Test func cleanDropsEveryTableViewAndTriggerOfASQLiteDatabase() throws {
        project.write("strata.toml", "url = \"sqlite:app.db\"\nallow_clean = true\n")
        project.write("migrations/V1__books.sql", """
            CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT);
            CREATE INDEX books_title ON books (title);
            CREATE VIEW titles AS SELECT title FROM books;
            CREATE TABLE audit (id INTEGER);
            CREATE TRIGGER books_audit AFTER INSERT ON books BEGIN INSERT INTO audit VALUES (new.id); END;

            """)
        #expect(try strata("migrate").status == 0)
        let cleaned = try strata("clean")
        #expect(cleaned.status == 0 && cleaned.stdout.contains("dropped 5 objects"), "\(cleaned.stdout)\(cleaned.stderr)")
        let left = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "app.db", "SELECT count(*) FROM sqlite_schema"], in: project.path)
        #expect(left.stdout == "0\n", "\(left.stdout)\(left.stderr)")
    }

    @Test func outOfOrder() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V3__three.sql", "CREATE TABLE three (id INT);\n")
        #expect(try strata("migrate").status == 0)
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        let skipped = try strata("migrate")
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("warning: migrations/V2__two.sql is older than the newest applied version 3"))
        #expect(try strata("validate").status == 1)
        #expect(try strata("migrate", "--out-of-order").stdout.contains("Applied 1 migration"))
        #expect(try infoStates() == ["success", "out_of_order", "success"])
    }

    @Test func concurrentProcessesApplyEachMigrationOnce() throws {
        for version in 1...40 {
            project.write("migrations/V\(version)__step_\(version).sql",
                          "CREATE TABLE t\(version) (id INTEGER PRIMARY KEY);\nINSERT INTO t\(version) VALUES (\(version));\n")
        }
        project.write("migrations/R__all.sql", "DROP VIEW IF EXISTS all_ids;\nCREATE VIEW all_ids AS SELECT id FROM t1 UNION ALL SELECT id FROM t40;\n")
        let started = try (0..<8).map { _ in try StrataBinary.start(["migrate"], in: project.path) }
        let results = started.map(StrataBinary.finish)
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
        }
        let applied = results.map { $0.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  V") || $0.hasPrefix("  R") }.count }
        #expect(applied.reduce(0, +) == 41)
        #expect(try infoStates() == Array(repeating: "success", count: 41))
    }

    @Test func theBookshopExampleRuns() throws {
        let locations = StrataBinary.packageRoot + "/Examples/bookshop/migrations"
        let result = try strata("migrate", "--locations", locations, "--url", "sqlite:bookshop.db")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Applied 13 migrations"))
        let again = try strata("migrate", "--locations", locations, "--url", "sqlite:bookshop.db")
        #expect(again.stdout.contains("Nothing to migrate"))
        #expect(try strata("validate", "--locations", locations, "--url", "sqlite:bookshop.db").status == 0)
    }
}

/// Previews and offline scripts on SQLite.
@Suite struct PreviewTests {
    let project = TemporaryFolder()
    let bookshop = StrataBinary.packageRoot + "/Examples/bookshop/migrations"

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func sqlite3(_ database: String, _ input: String) throws -> String {
        let path = project.write("input.sql", input)
        let result = try StrataBinary.runTool("/bin/sh", ["-c", "sqlite3 -bail \(database) < \(path)"], in: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// The history rows without their ranks, which a script applied in two parts orders differently.
    private func history(_ database: String) throws -> String {
        try sqlite3(database, "SELECT version, description, type, script, checksum, success FROM strata_schema_history ORDER BY type, version, description, installed_rank;")
    }

    @Test func dryRunsChangeNothingByteForByte() throws {
        #expect(try strata("migrate", "--locations", bookshop, "--target", "5").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: project.file("strata.db")))
        let preview = try strata("migrate", "--locations", bookshop, "--dry-run")
        #expect(preview.status == 0)
        #expect(preview.stdout.contains("-- \(bookshop)/V6__add_indexes.sql\nBEGIN IMMEDIATE;\n"))
        #expect(preview.stdout.contains("INSERT INTO \"strata_schema_history\" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (7, '6', 'add indexes'"))
        #expect(preview.stdout.contains("COMMIT;"))
        #expect(!preview.stdout.contains("CREATE TABLE \"strata_schema_history\""))
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/U1__one.sql", "DROP TABLE one;\n")
        #expect(try strata("migrate", "--url", "sqlite:other.db").status == 0)
        let undoPreview = try strata("undo", "--dry-run", "--url", "sqlite:other.db")
        #expect(undoPreview.stdout.contains("DROP TABLE one;\nINSERT INTO \"strata_schema_history\""))
        #expect(undoPreview.stdout.contains("'UNDO_SQL'"))
        // With --json, the same script in one JSON value, for tools.
        for (command, script) in [(["migrate", "--locations", bookshop], preview.stdout), (["undo", "--url", "sqlite:other.db"], undoPreview.stdout)] {
            let json = try StrataBinary.run(command + ["--dry-run", "--json"], in: project.path)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
            #expect(report["dryRun"] as? Bool == true && (report["sql"] as? String).map { $0 + "\n" } == script, "\(command)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.file("strata.db"))) == before)
        let other = try Data(contentsOf: URL(fileURLWithPath: project.file("other.db")))
        _ = try strata("undo", "--dry-run", "--url", "sqlite:other.db")
        _ = try strata("migrate", "--dry-run", "--locations", bookshop, "--url", "sqlite:fresh.db")
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.file("other.db"))) == other)
        #expect(!FileManager.default.fileExists(atPath: project.file("fresh.db")))
    }

    /// The `sqlite3` shell applies the scripts, as a DBA would; under CI it is always installed.
    static let sqlite3Installed = ProcessInfo.processInfo.environment["CI"] == "true"
        || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/sqlite3")
        }

    @Test(.enabled(if: sqlite3Installed, "the sqlite3 shell is not installed here (apt-get install sqlite3); skipping"))
    func offlineScriptsApplyAsMigrateAndUndoWould() throws {
        let script = try strata("sql", "--dialect", "sqlite", "--locations", bookshop)
        #expect(script.status == 0)
        _ = try sqlite3("byhand.db", script.stdout)
        #expect(try strata("migrate", "--locations", bookshop, "--url", "sqlite:bystrata.db").status == 0)
        #expect(try sqlite3("byhand.db", ".schema") == (try sqlite3("bystrata.db", ".schema")))
        #expect(try history("byhand.db") == (try history("bystrata.db")))

        // In two steps, from a version the database is at.
        let first = try strata("sql", "--dialect", "sqlite", "--locations", bookshop, "--to", "6")
        let rest = try strata("sql", "--dialect", "sqlite", "--locations", bookshop, "--from", "6")
        _ = try sqlite3("steps.db", first.stdout)
        _ = try sqlite3("steps.db", rest.stdout)
        let schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name;"
        #expect(try sqlite3("steps.db", schema) == (try sqlite3("bystrata.db", schema)))
        #expect(try history("steps.db") == (try history("bystrata.db")))

        project.write("m/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("m/U1__one.sql", "DROP TABLE one;\n")
        project.write("m/V2__two.sql", "CREATE TABLE two (id INT);\n")
        project.write("m/U2__two.sql", "DROP TABLE two;\n")
        #expect(try strata("migrate", "--locations", "m", "--url", "sqlite:a.db").status == 0)
        #expect(try strata("migrate", "--locations", "m", "--url", "sqlite:b.db").status == 0)
        let undo = try strata("sql", "--dialect", "sqlite", "--locations", "m", "--undo", "--from", "2", "--to", "0")
        _ = try sqlite3("a.db", undo.stdout)
        #expect(try strata("undo", "--locations", "m", "--url", "sqlite:b.db", "--count", "2").status == 0)
        #expect(try sqlite3("a.db", ".schema") == (try sqlite3("b.db", ".schema")))
        #expect(try history("a.db") == (try history("b.db")))
        #expect(try strata("sql", "--dialect", "oracle").status == 2)
        #expect(try strata("sql", "--dialect", "sqlite", "--undo", "--locations", "m").status == 2)
    }
}
