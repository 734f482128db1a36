import Foundation
import Strata
import StrataPostgres
import StrataTestSupport
import Testing

/// A dry run and an offline script hold exactly what a live run sends on PostgreSQL: the
/// live run is recorded statement by statement and compared with both.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct PostgresPreviewTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()

    init() {
        folder.write("m/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS audit (event text);\n")
        folder.write("m/beforeEachMigrate.sql", "INSERT INTO audit VALUES ('before each');\n")
        folder.write("m/afterMigrate__stats.sql", "INSERT INTO audit VALUES ('after');\n")
        folder.write("m/V1__table.sql", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (2);\n")
        folder.write("m/V2__index.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);\n")
        folder.write("m/V3__column.sql", "ALTER TABLE t ADD COLUMN b text;\n")
        folder.write("m/R__view.sql", "CREATE OR REPLACE VIEW tv AS SELECT a FROM t;\n")
    }

    private func migrator(_ database: any Database) throws -> Migrator {
        Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]), installedBy: "dba")
    }

    private var policy: LockRetryPolicy { LockRetryPolicy(lockTimeoutMilliseconds: 300, statementTimeoutMilliseconds: 60_000) }

    @Test func dryRunsAndOfflineScriptsHoldWhatALiveRunSends() throws {
        let live = ScriptedDatabase(wrapping: try PostgresDatabase(conninfo: server.url(database: try server.createDatabase())),
                                    scriptedTimeouts: false, excludesOtherRuns: true)
        let preview = try migrator(try PostgresDatabase(conninfo: server.url(database: try server.createDatabase())))
            .previewMigrate(MigrateOptions(lockRetry: policy))
        try migrator(live).migrate(MigrateOptions(lockRetry: policy))
        let sent = ScriptComparison.lines(of: live.script)
        #expect(sent.contains("SET lock_timeout = 300;") && sent.contains("SET statement_timeout = 60000;"))
        #expect(sent.contains("INSERT INTO audit VALUES ('before each');"))
        #expect(ScriptComparison.lines(of: preview) == sent)

        let offline = try OfflineScript.make(
            catalog: try LocationReader.read(locations: [folder.file("m")]), dialect: PostgresDialect(), table: .defaultHistory,
            installedBy: "dba", from: nil, to: .latest, undo: false, lockRetry: policy)
        let ranked = sent.map { $0.replacingOccurrences(of: #"VALUES \(\d+, "#, with: "VALUES ((SELECT coalesce(max(installed_rank), 0) + 1 FROM \"strata_schema_history\"), ", options: .regularExpression) }
            .map { $0.replacingOccurrences(of: #"WHERE installed_rank = \d+"#, with: "WHERE installed_rank = (SELECT max(installed_rank) FROM \"strata_schema_history\")", options: .regularExpression) }
        #expect(ScriptComparison.lines(of: offline) == ranked)
    }
}
