import Foundation
import Strata
import StrataLiquibase
import StrataLiquibaseRunner
import StrataPostgres
import StrataTestSupport
import Testing

/// traccar's 37 changesets (preconditions, logicalFilePath, includes) on PostgreSQL: Strata
/// records what Liquibase 4.29 recorded (exec types and checksums) and builds the same schema.
@Suite(.enabled(if: TestPostgres.available && ConformanceFixtures.available, "needs PostgreSQL and the shared fixtures"))
struct TraccarTests {
    let fixture = ConformanceFixtures.shared!.path("real-world/traccar-9e5c458")

    @Test func strataRecordsLiquibasesRowsAndBuildsItsSchema() throws {
        let server = TestPostgres.shared!
        let name = try server.createDatabase()
        guard case .postgres(let conninfo) = try DatabaseURL(parsing: server.url(database: name)) else { return }
        let database = try PostgresDatabase(conninfo: conninfo)
        let changelog = try LiquibaseChangelog.load(path: "changelog-master.xml", searchPath: fixture,
                                                   options: ChangelogOptions(database: "postgresql"))
        let runner = ChangeLogRunner(database: database, changelog: changelog, rendering: LiquibaseRendering(flavor: .postgresql))
        try runner.update()
        let rows = try database.query("SELECT ID, AUTHOR, FILENAME, EXECTYPE, MD5SUM FROM databasechangelog ORDER BY ORDEREXECUTED", [])
            .map { $0.map { $0.string ?? "" }.joined(separator: "|") }
        let recorded = try String(contentsOfFile: fixture + "/liquibase-4.29-postgres-databasechangelog.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(rows == recorded)
        let schema = try server.schemaDumpWithoutLiquibase(name)
        let expected = try String(contentsOfFile: fixture + "/liquibase-4.29-postgres-schema.sql", encoding: .utf8)
        #expect(schema.split(separator: "\n") == expected.split(separator: "\n"))
        // A second run finds everything applied, preconditions and all.
        #expect(try runner.update().recorded.isEmpty)
    }
}
