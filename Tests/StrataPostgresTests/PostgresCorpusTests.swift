import Foundation
import Strata
import StrataPostgres
import StrataTestSupport
import Testing

/// Tricky scripts applied by Strata leave exactly the schema and data that `psql -f` leaves.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
final class PostgresCorpusTests {
    let server = TestPostgres.shared!
    private var copies: [TemporaryFolder] = []

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/postgres-corpus").path

    @Test func strataLeavesWhatPsqlLeaves() throws {
        let byStrata = try server.createDatabase()
        let byPsql = try server.createDatabase()
        let catalog = try LocationReader.read(locations: [Self.corpus])
        try Migrator(database: try PostgresDatabase(conninfo: server.url(database: byStrata)), catalog: catalog).migrate()
        for migration in catalog.versioned {
            try server.psqlFile(migration.path, database: byPsql)
        }
        let strataSchema = try server.schemaDump(byStrata, excludingTable: "strata_schema_history")
        #expect(strataSchema == (try server.schemaDump(byPsql)))
        #expect(strataSchema.contains("CREATE FUNCTION public.shout"))
        for query in ["SELECT * FROM people ORDER BY id", "SELECT * FROM notes ORDER BY id",
                      "SELECT * FROM measurements ORDER BY id", "SELECT * FROM note_counts ORDER BY 1",
                      "SELECT shout('x'), add_one(41), describe(p) FROM people p ORDER BY id"] {
            #expect(try server.psql(query, database: byStrata) == (try server.psql(query, database: byPsql)), "\(query)")
        }
        #expect(try server.psql("SELECT count(*) FROM measurements", database: byStrata) == "5\n")
    }

    @Test func anOfflineScriptAppliedByPsqlLeavesWhatMigrateLeaves() throws {
        let byStrata = try server.createDatabase()
        let byScript = try server.createDatabase()
        let catalog = try LocationReader.read(locations: [Self.corpus])
        try Migrator(database: try PostgresDatabase(conninfo: server.url(database: byStrata)), catalog: catalog, installedBy: "dba").migrate()
        let script = try OfflineScript.make(
            catalog: catalog, dialect: PostgresDialect(), table: .defaultHistory, installedBy: "dba", from: nil, to: .latest, undo: false)
        #expect(script.contains("(outside a transaction)"))
        let file = NSTemporaryDirectory() + "strata-offline-\(byScript).sql"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try server.psqlFile(file, database: byScript)
        #expect(try server.schemaDump(byScript) == (try server.schemaDump(byStrata)))
        let history = "SELECT installed_rank, version, description, type, script, checksum, installed_by, success FROM strata_schema_history ORDER BY 1"
        #expect(try server.psql(history, database: byScript) == (try server.psql(history, database: byStrata)))
        #expect(try server.psql("SELECT * FROM notes ORDER BY id", database: byScript) == (try server.psql("SELECT * FROM notes ORDER BY id", database: byStrata)))
    }

    /// The PostgreSQL folders of the shared fixtures that apply as they are.
    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func flywayPostgresFixturesApply() throws {
        let fixtures = ConformanceFixtures.shared!
        var applied = 0
        for set in fixtures.records("sets") {
            guard set["dialect"] as? String == "postgresql", let dir = set["dir"] as? String, dir.hasPrefix("flyway-"),
                  !["basetype", "setrole", "warning", "concurrent"].contains(where: { dir.hasSuffix("/" + $0) })
            else { continue }
            let database = try server.createDatabase()
            var location = fixtures.path(dir)
            let upstream = set["upstream"] as? [String: Any] ?? [:]
            if upstream["mixed"] as? Bool == true {
                // Flyway's `mixed` option; Strata refuses the mix unless the file opts out of its transaction.
                let mixed = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)),
                                     catalog: try LocationReader.read(locations: [location]))
                #expect(throws: TransactionPolicyError.self, "\(dir)") { try mixed.migrate() }
                location = try optingOutOfTransactions(location)
            }
            let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)),
                                    catalog: try LocationReader.read(locations: [location]))
            do {
                try migrator.migrate()
            } catch {
                Issue.record("\(dir): \(error)")
                continue
            }
            for check in upstream["afterApply"] as? [[String: Any]] ?? [] {
                let result = try server.psql(check["query"] as! String, database: database).trimmingCharacters(in: .newlines)
                let expected = (check["equals"] as? Int).map(String.init) ?? check["equals"] as? String
                #expect(result == expected, "\(dir): \(check["query"]!)")
            }
            applied += 1
        }
        #expect(applied >= 15)
    }

    /// A copy of a folder whose files start with `-- strata:transaction=false`.
    private func optingOutOfTransactions(_ location: String) throws -> String {
        let copy = TemporaryFolder()
        copies.append(copy)
        for name in try FileManager.default.contentsOfDirectory(atPath: location) where name.hasSuffix(".sql") {
            let text = try String(contentsOfFile: location + "/" + name, encoding: .utf8)
            copy.write(name, "-- strata:transaction=false\n" + text)
        }
        return copy.path
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
    func aWarningIsShownAndTheErrorNamesLine24() throws {
        let fixtures = ConformanceFixtures.shared!
        let database = try PostgresDatabase(conninfo: server.url(database: try server.createDatabase()))
        let notices = ConcurrentLog()
        database.onNotice = { notices.add($0) }
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [fixtures.path("flyway-e948f52/postgresql/warning")]))
        let error = try #require(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(error.failure.line == 24)
        #expect(error.failure.message == "This is an error")
        #expect(notices.all.contains("WARNING: This is a warning"))
    }
}

/// Flyway's generic fixture folders on PostgreSQL: the same scenarios the SQLite suite runs.
@Suite(.enabled(if: TestPostgres.available && ConformanceFixtures.available, "PostgreSQL or the conformance fixtures are missing"))
struct PostgresConformanceSetTests {
    let scenarios: GenericFixtureScenarios

    init() {
        let server = TestPostgres.shared!
        scenarios = GenericFixtureScenarios(fixtures: ConformanceFixtures.shared!) {
            try PostgresDatabase(conninfo: server.url(database: try server.createDatabase()))
        }
    }

    @Test func setsApplyAndTheirChecksHold() throws { try scenarios.setsApplyAndTheirChecksHold(dialect: "postgresql") }
    @Test func targetsFollowFlyway() throws { try scenarios.targetsFollowFlyway() }
    @Test func lateArrivalIsIgnoredThenAppliedOutOfOrder() throws { try scenarios.lateArrivalIsIgnoredThenAppliedOutOfOrder() }
    @Test func missingFilesFailValidation() throws { try scenarios.missingFilesFailValidation() }
    @Test func failingStatementRollsTheMigrationBack() throws { try scenarios.failingStatementRollsTheMigrationBack() }
}
