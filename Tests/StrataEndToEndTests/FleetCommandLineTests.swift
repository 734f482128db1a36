import Foundation
import StrataTestSupport
import Testing

/// `--targets`: one command on many databases, each in its own process; one broken target
/// fails alone.
@Suite struct FleetCommandLineTests {
    let project = TemporaryFolder()

    init() {
        project.write("migrations/V1__authors.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);\n")
        project.write("migrations/V2__books.sql", "CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id));\n")
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    @Test func fiftySQLiteFilesWithOneBrokenFailAlone() throws {
        var urls = (1...50).map { "sqlite:\(project.file("tenant\($0).db"))" }
        urls[17] = "sqlite:\(project.file("missing-folder/tenant18.db"))"
        project.write("targets.txt", "# one tenant per line\n\n" + urls.joined(separator: "\n") + "\n")
        let migrated = try strata("migrate", "--targets", "targets.txt", "--parallel", "4")
        #expect(migrated.status == 1)
        #expect(migrated.stdout.contains("50 targets in") && migrated.stdout.contains("49 done, 1 failed"))
        #expect(migrated.stderr.contains("missing-folder/tenant18.db failed: The database reported an error"))
        let json = try strata("info", "--targets", "targets.txt", "--json")
        let results = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(results.count == 50 && results.allSatisfy { $0["outcome"] as? String == "done" }, "info reads a missing file as empty")
        #expect(results.filter { ($0["output"] as? String)?.contains("\"success\"") == true }.count == 49)
        project.write("migrations/V3__isbn.sql", "ALTER TABLE books ADD COLUMN isbn TEXT;\n")
        let behind = try strata("check", "--targets", "targets.txt")
        #expect(behind.status == 3)
        #expect(behind.stdout.contains("50 with pending migrations"))
    }

    @Test func jsonHasEveryFieldAndNoOutputShowsAPassword() throws {
        project.write("targets.txt", "sqlite:\(project.file("a.db"))\npostgresql://app:s3cret@/shop?host=/nonexistent-strata-socket\n")
        let json = try strata("migrate", "--targets", "targets.txt", "--json")
        #expect(json.status == 1 && !json.stdout.contains("s3cret") && !json.stderr.contains("s3cret"))
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let failed = try #require(results.first { $0["outcome"] as? String == "failed" })
        #expect(Set(failed.keys) == ["target", "outcome", "exitCode", "durationMs", "output", "error"])
        #expect(failed["target"] as? String == "postgresql://app:***@/shop?host=/nonexistent-strata-socket" && failed["exitCode"] as? Int == 1)
        let error = try #require(failed["error"] as? String)
        #expect(error.contains("cannot connect to PostgreSQL: connection to server on socket") && !error.contains("\n") && !error.contains("?."), "one paragraph: \(error)")
        #expect(results.first { $0["outcome"] as? String == "done" }?["exitCode"] as? Int == 0)
        for command in ["migrate", "status", "validate"] {
            let summary = try strata(command, "--targets", "targets.txt")
            #expect(summary.status == 1 && summary.stdout.contains("2 targets in") && summary.stdout.contains("1 done, 1 failed"), "\(command): \(summary.stdout)")
            #expect(summary.stderr.contains("postgresql://app:***@/shop?host=/nonexistent-strata-socket failed: "), "\(command): \(summary.stderr)")
            #expect(!summary.stdout.contains("s3cret") && !summary.stderr.contains("s3cret"))
        }
    }

    @Test func lintTakesTheSameTargets() throws {
        project.write("targets.txt", "sqlite:\(project.file("a.db"))\nsqlite:\(project.file("b.db"))\n")
        let linted = try strata("lint", "--targets", "targets.txt")
        #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        #expect(linted.stdout.contains("2 targets in") && linted.stdout.contains("2 done"))
    }

    @Test func failFastStartsNoNewTargetAfterAFailure() throws {
        project.write("targets.txt", "sqlite:\(project.file("nowhere/a.db"))\n" + (1...6).map { "sqlite:\(project.file("t\($0).db"))" }.joined(separator: "\n"))
        let result = try strata("migrate", "--targets", "targets.txt", "--parallel", "1", "--fail-fast")
        #expect(result.status == 1)
        #expect(result.stdout.contains("1 failed, 6 skipped"))
    }

    @Test func environmentsMatchingAGlobAreTargets() throws {
        project.write("strata.toml", """
            locations = ["migrations"]
            [environments.tenant-a]
            url = "sqlite:a.db"
            [environments.tenant-b]
            url = "sqlite:b.db"
            [environments.staging]
            url = "sqlite:staging.db"

            """)
        let result = try strata("migrate", "--targets", "tenant-*")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 targets in") && result.stdout.contains("2 done"))
        #expect(FileManager.default.fileExists(atPath: project.file("a.db")) && !FileManager.default.fileExists(atPath: project.file("staging.db")))
        #expect(try strata("migrate", "--targets", "prod-*").stderr.contains("matches no environment"))
        #expect(try strata("migrate", "--targets", "tenant-*", "--url", "sqlite:x.db").status == 2)
        project.write("bad-targets.txt", "sqlite:a.db\n\nmysql://u:secret@db/x\n")
        let bad = try strata("migrate", "--targets", "bad-targets.txt")
        #expect(bad.status == 2 && bad.stderr.contains("bad-targets.txt, line 3: The database URL 'mysql://u:***@db/x' has the unknown scheme"))
    }
}

/// Twenty PostgreSQL databases, one of them broken.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresFleetCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()

    @Test func twentyDatabasesWithOneBrokenFailAlone() throws {
        project.write("migrations/V1__authors.sql", "CREATE TABLE authors (id int PRIMARY KEY, name text);\n")
        project.write("migrations/V2__books.sql", "CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors (id));\n")
        let databases = try (1...20).map { _ in try server.createDatabase() }
        try server.psql("CREATE TABLE authors (id int)", database: databases[6])
        project.write("targets.txt", databases.map { server.url(database: $0) }.joined(separator: "\n") + "\n")
        let result = try StrataBinary.run(["migrate", "--targets", "targets.txt", "--parallel", "6"], in: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("20 targets in") && result.stdout.contains("19 done, 1 failed"))
        #expect(result.stderr.contains(databases[6]) && result.stderr.contains("already holds"))
        for (index, database) in databases.enumerated() where index != 6 {
            #expect(try server.psql("SELECT count(*) FROM strata_schema_history", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        }
    }
}
