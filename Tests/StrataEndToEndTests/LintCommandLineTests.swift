import Foundation
import StrataTestSupport
import Testing

/// `strata lint` through the binary: its four outputs, exit codes, ignores and `[lint]`.
@Suite struct LintCommandLineTests {
    let project = TemporaryFolder()

    init() {
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(50));\n")
        project.write("migrations/V2__email.sql", """
            ALTER TABLE accounts ALTER COLUMN email TYPE text;
            -- strata:lint-ignore set-not-null
            ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
            CREATE INDEX accounts_email ON accounts (email);

            """)
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    @Test func textGroupsByFileWithTheSafeSQLAndExitsOneOnAnError() throws {
        let result = try strata("lint")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("Linted every migration file (2 migrations), since the configured database, sqlite:strata.db, is not PostgreSQL."))
        #expect(result.stdout.contains("migrations/V2__email.sql\n  4: error [create-index-not-concurrent]"))
        #expect(result.stdout.contains("lock: SHARE on accounts, reads every row"))
        #expect(result.stdout.contains("CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);"))
        #expect(!result.stdout.contains("alter-column-type"), "varchar to text keeps the table, and V1 says email was varchar")
        #expect(!result.stdout.contains("[set-not-null]"), "ignored by the comment before it")
        #expect(result.stdout.hasSuffix("1 error, 0 warnings in 2 files (PostgreSQL 15 rules).\n"))
    }

    /// README: "when the database … cannot be reached, every migration file, and the first line says which".
    @Test func anUnreachableServerLintsEveryFileAndSaysWhy() throws {
        let result = try strata("lint", "--url", "postgresql://nobody@/app?host=/nonexistent-strata-socket")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("Linted every migration file (2 migrations), since postgresql://nobody@/app?host=/nonexistent-strata-socket cannot be reached ("),
                "\(result.stdout)")
        #expect(result.stdout.contains("migrations/V2__email.sql\n  4: error [create-index-not-concurrent]"))
    }

    /// README: "the layout comes from `strata.toml` or detection, or `--layout`".
    @Test func layoutChoosesWhichFilesOfAFolderAreLinted() throws {
        project.write("golang/1_t.up.sql", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, c int);\n")
        project.write("golang/2_i.up.sql", "CREATE INDEX t_c ON t (c);\n")
        project.write("golang/2_i.down.sql", "DROP INDEX t_c;\n")
        let golang = try strata("lint", "golang", "--layout", "golang-migrate", "--json")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(golang.stdout.utf8)) as? [String: Any], "\(golang.stdout)\(golang.stderr)")
        #expect((report["findings"] as? [[String: Any]])?.map { "\($0["rule"] ?? "")@\($0["path"] ?? "")" } == ["create-index-not-concurrent@golang/2_i.up.sql"])
        let flyway = try strata("lint", "golang", "--layout", "flyway")
        #expect(flyway.status == 0 && flyway.stdout.hasPrefix("Linted 0 migrations in golang."), "no V…__ file there: \(flyway.stdout)\(flyway.stderr)")
    }

    @Test func pgVersionChoosesTheRules() throws {
        project.write("extra/V1__t.sql", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n")
        project.write("extra/V2__c.sql", "ALTER TABLE t ADD COLUMN c int DEFAULT 0;\n")
        let old = try strata("lint", "extra", "--pg-version", "10")
        #expect(old.status == 1 && old.stdout.contains("which PostgreSQL 10 writes into every row"), "\(old.stdout)")
        #expect(old.stdout.hasSuffix("(PostgreSQL 10 rules).\n"))
        let current = try strata("lint", "extra", "--pg-version", "15")
        #expect(current.status == 0 && current.stdout.hasSuffix("0 errors, 0 warnings in 2 files (PostgreSQL 15 rules).\n"), "a constant default is free from 11 on: \(current.stdout)")
        #expect(try strata("lint", "extra", "--pg-version", "8").status == 2)
    }

    @Test func jsonListsEveryFinding() throws {
        let result = try strata("lint", "--json")
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["create-index-not-concurrent"])
        #expect(findings.first?["lock"] as? String == "SHARE")
        #expect(findings.first?["work"] as? String == "scan")
        #expect(findings.first?["line"] as? Int == 4)
        #expect(report["errors"] as? Int == 1 && report["postgresVersion"] as? Int == 15)
    }

    @Test func githubAnnotationsAndSARIF() throws {
        let github = try strata("lint", "--format", "github", "migrations/V2__email.sql")
        #expect(github.status == 1)
        let lines = github.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("::error file=migrations/V2__email.sql,line=1,title=alter-column-type (ACCESS EXCLUSIVE)::Changes accounts.email"))
        #expect(lines[1].hasPrefix("::error file=migrations/V2__email.sql,line=4,title=create-index-not-concurrent (SHARE)::"))
        #expect(lines[1].contains("%0ACREATE INDEX CONCURRENTLY accounts_email"))

        let sarif = try strata("lint", "--format", "sarif")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["create-index-not-concurrent"])
        let location = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 4)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
        #expect(rules?.count == 29)
    }

    @Test func configurationTurnsRulesOffAndIntoWarnings() throws {
        project.write("strata.toml", "[lint]\nseverity.create-index-not-concurrent = \"warning\"\n")
        let warned = try strata("lint")
        #expect(warned.status == 0, "\(warned.stdout)")
        #expect(warned.stdout.contains("4: warning [create-index-not-concurrent]"))

        project.write("strata.toml", "[lint]\ndisable = [\"create-index-not-concurrent\", \"set-not-null\"]\n")
        let disabled = try strata("lint")
        #expect(disabled.status == 0)
        #expect(disabled.stdout.contains("0 errors, 0 warnings"), "an ignore for a disabled rule is not unused")

        project.write("strata.toml", "url = \"sqlite:x.db\"\n\n[lint]\ndisable = [\"no-such-rule\"]\n")
        let refused = try strata("lint")
        #expect(refused.status == 1 || refused.status == 2)
        #expect(refused.stderr.contains("strata.toml:4: lint.disable: `no-such-rule` is not a lint rule"))
    }

    @Test func anUnusedIgnoreAndARejectedStatementAreFindings() throws {
        let file = project.write("extra.sql", "-- strata:lint-ignore drop-table\nSELECT 1;\nALTER TABLE accounts ADD COLUMN;\n")
        let result = try strata("lint", "--json", file)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.map { "\($0["rule"] as? String ?? "")@\($0["line"] as? Int ?? 0)" } == ["unused-ignore@1", "syntax-error@3"])
        #expect(result.status == 1)
    }

    @Test func placeholdersAreReplacedInAFileGivenByPath() throws {
        let file = project.write("one.sql", "CREATE INDEX ${index} ON accounts (email);\n")
        let result = try strata("lint", "--json", "-p", "index=accounts_email", file)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((report["findings"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["create-index-not-concurrent"], "not a syntax error on ${index}")
        let missing = try strata("lint", file)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("line 1: the placeholder ${index} has no value"))
    }

    @Test func aCleanMigrationExitsZero() throws {
        let file = project.write("clean.sql", "CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n")
        let result = try strata("lint", file)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("0 errors, 0 warnings in 1 file (PostgreSQL 15 rules).\n"))
    }
}

/// `strata lint` against a live PostgreSQL: only the pending migrations are reported, the
/// applied ones still tell what exists, and the server's version picks the rules.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresLintCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()

    @Test func pendingMigrationsOfTheServer() throws {
        let url = server.url(database: try server.createDatabase())
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(50), data json);\n")
        #expect(try StrataBinary.run(["migrate", "--url", url], in: project.path).status == 0)
        project.write("migrations/V2__email.sql", "ALTER TABLE accounts ALTER COLUMN email TYPE text;\nALTER TABLE accounts ADD COLUMN code char(2);\n")
        let result = try StrataBinary.run(["lint", "--url", url, "--json"], in: project.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((report["scope"] as? String)?.hasPrefix("the 1 pending migration of postgresql://") == true)
        #expect((report["findings"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["prefer-text"])
        let major = try #require(Int(try server.psql("SHOW server_version_num", database: "postgres").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(report["postgresVersion"] as? Int == major / 10_000)
    }

    /// Under the default `safety = "rewrite"`, a finding about a statement that runs in its safe
    /// form is a note saying so (info in `--json`); the others stand as they are.
    @Test func migrateNotesTheFindingsOfStatementsItRewrites() throws {
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n")
        project.write("migrations/V2__index.sql", "CREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts RENAME COLUMN email TO address;\n")
        func migrate(_ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let url = server.url(database: try server.createDatabase())
            #expect(try StrataBinary.run(["migrate", "--url", url, "--target", "1"], in: project.path).status == 0)
            let result = try StrataBinary.run(["migrate", "--url", url] + extra, in: project.path)
            return (result.status, result.stdout, result.stderr)
        }
        let text = try migrate([])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("The pending migrations have 1 lint finding (`strata lint` shows why, and the safe SQL):\n  migrations/V2__index.sql:2: error [rename-column] "), "\(text.stderr)")
        #expect(text.stderr.contains("1 statement runs in a safe form instead (safety = \"rewrite\"):\n  migrations/V2__index.sql:1: info [create-index-not-concurrent] rewritten: CREATE INDEX accounts_email → CONCURRENTLY"), "\(text.stderr)")
        #expect(!text.stderr.contains("error [create-index-not-concurrent]"))

        let json = try migrate(["--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let lint = try #require(report["lint"] as? [[String: Any]])
        #expect(lint.map { "\($0["rule"] ?? "")@\($0["line"] ?? ""):\($0["severity"] ?? "")" } == ["create-index-not-concurrent@1:info", "rename-column@2:error"])
        #expect((lint.first?["rewrittenAs"] as? String)?.contains("CONCURRENTLY, outside the transaction") == true, "\(lint)")
        #expect(lint.last?["rewrittenAs"] == nil)
    }

    @Test func migrateLintsWhatItIsAboutToApplyAndStrictRefusesAnError() throws {
        let database = try server.createDatabase()
        let url = server.url(database: database)
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n")
        #expect(try StrataBinary.run(["migrate", "--url", url], in: project.path).status == 0)
        project.write("migrations/V2__index.sql", "SELECT 1;\nCREATE INDEX accounts_email ON accounts (email);\n")
        project.write("strata.toml", "[environments.prod]\nsafety = \"strict\"\n")
        let indexes = "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email'"

        let refused = try StrataBinary.run(["migrate", "--url", url, "--environment", "prod"], in: project.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("safety = \"strict\" refuses to migrate: the pending migrations have an error-level lint finding; nothing was run."))
        #expect(refused.stderr.contains("  - migrations/V2__index.sql:2: [create-index-not-concurrent] "))
        #expect(try server.psql(indexes, database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // In a schema of its own every migration is pending and its tables new: a statement the
        // parser rejects is what strict refuses there.
        project.write("migrations/V2__index.sql", "SELECT 1;\nCREATE INDEX accounts_email ON accounts (email);\nCREATE INDEX ON;\n")
        let withSchemas = try StrataBinary.run(["migrate", "--url", url, "--environment", "prod", "--schemas", "ledger"], in: project.path)
        #expect(withSchemas.status == 1)
        #expect(withSchemas.stderr.contains("  - migrations/V2__index.sql:3: [syntax-error] "), "\(withSchemas.stderr)")
        #expect(try server.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'ledger'", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0", "a refused run creates no schema either")
        project.write("migrations/V2__index.sql", "SELECT 1;\nCREATE INDEX accounts_email ON accounts (email);\n")

        let refusedJSON = try StrataBinary.run(["migrate", "--url", url, "--environment", "prod", "--json"], in: project.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(refusedJSON.stdout.utf8)) as? [String: Any])
        #expect(report["success"] as? Bool == false && (report["applied"] as? [Any])?.isEmpty == true)
        #expect((report["lint"] as? [[String: Any]])?.map { "\($0["rule"] ?? "")@\($0["line"] ?? "")" } == ["create-index-not-concurrent@2"])

        project.write("strata.toml", "[environments.prod]\nsafety = \"strict\"\n[environments.prod.lint]\nseverity.create-index-not-concurrent = \"warning\"\n")
        let warned = try StrataBinary.run(["migrate", "--url", url, "--environment", "prod"], in: project.path)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("The pending migrations have 1 lint finding (`strata lint` shows why, and the safe SQL):\n  migrations/V2__index.sql:2: warning [create-index-not-concurrent] "))
        #expect(try server.psql(indexes, database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "1")

        project.write("migrations/V3__rename.sql", "ALTER TABLE accounts RENAME COLUMN email TO address;\n")
        let json = try StrataBinary.run(["migrate", "--url", url, "--json", "--log-format", "json"], in: project.path)
        #expect(json.status == 0, "the default safety prints findings and runs")
        let applied = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((applied["lint"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["rename-column"])
        #expect(json.stderr.contains("\"event\":\"lint_finding\""))
        #expect(json.stderr.contains("\"line\":1") && json.stderr.contains("\"script\":\"migrations/V3__rename.sql\""))

        // The JSON log alone: the findings are its events, not text lines among them.
        project.write("migrations/V4__rename.sql", "ALTER TABLE accounts RENAME COLUMN address TO mail;\nCREATE INDEX accounts_mail ON accounts (mail);\n")
        let logged = try StrataBinary.run(["migrate", "--url", url, "--log-format", "json"], in: project.path)
        #expect(logged.status == 0, "\(logged.stderr)")
        let lines = logged.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "\(logged.stderr)")
        #expect(lines.filter { $0.contains("\"event\":\"lint_finding\"") }.count == 2, "\(logged.stderr)")
    }

    /// A fresh database under `strict`: the index on a table the run's first migration creates
    /// blocks no one, so nothing is refused or reported, and it is built as written.
    @Test func strictMigratesAFreshDatabaseThatIndexesTheTablesItCreates() throws {
        let database = try server.createDatabase()
        let url = server.url(database: database)
        project.write("migrations/V1__accounts.sql", "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n")
        project.write("migrations/V2__index.sql", "CREATE INDEX accounts_email ON accounts (email);\n")
        project.write("strata.toml", "[environments.prod]\nsafety = \"strict\"\n")
        let fresh = try StrataBinary.run(["migrate", "--url", url, "--environment", "prod"], in: project.path)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(!fresh.stderr.contains("lint finding") && !fresh.stdout.contains("safe form"), "\(fresh.stdout)\(fresh.stderr)")
        #expect(try server.psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email'", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}
