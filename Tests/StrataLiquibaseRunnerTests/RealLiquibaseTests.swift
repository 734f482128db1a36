import Foundation
import Strata
import StrataLiquibase
import StrataLiquibaseRunner
import StrataPostgres
import StrataSQLite
import StrataTestSupport
import Testing

@Test func realLiquibaseIsInstalledUnderCI() {
    #expect(!RealLiquibase.requiredButMissing, "CI=true but Liquibase is not installed (\(RealLiquibase.installHint))")
}

/// The same changelog applied by Liquibase 4.29 and by Strata, and each continuing the other.
@Suite(.enabled(if: RealLiquibase.available, "Liquibase or Java is not installed here (\(RealLiquibase.installHint)); skipping"))
struct RealLiquibaseTests {
    let liquibase = RealLiquibase.shared!
    let folder = TemporaryFolder()

    static let changelog = """
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.29.xsd">
          <changeSet id="1" author="ann">
            <sql>CREATE TABLE person (id INTEGER PRIMARY KEY, name VARCHAR(50))</sql>
            <rollback>DROP TABLE person</rollback>
          </changeSet>
          <changeSet id="2" author="ann" context="test" labels="seed">
            <comment>  Two people  </comment>
            <sql>INSERT INTO person (id, name) VALUES (1, 'ann'); INSERT INTO person (id, name) VALUES (2, 'bob')</sql>
            <rollback>DELETE FROM person</rollback>
          </changeSet>
          <changeSet id="3" author="ann">
            <preConditions onFail="MARK_RAN"><not><tableExists tableName="person"/></not></preConditions>
            <sql>CREATE TABLE person (id INTEGER)</sql>
          </changeSet>
          <changeSet id="4" author="ann">
            <tagDatabase tag="v1"/>
          </changeSet>
          <changeSet id="5" author="bob" runOnChange="true">
            <sql>CREATE VIEW people AS SELECT name FROM person</sql>
            <rollback>DROP VIEW people</rollback>
          </changeSet>
          <changeSet id="6" author="bob">
            <preConditions onFail="CONTINUE"><tableExists tableName="nothing"/></preConditions>
            <sql>CREATE TABLE never (id INTEGER)</sql>
          </changeSet>
          <changeSet id="7" author="bob" dbms="postgresql">
            <sql>CREATE TABLE pg_only (id INTEGER)</sql>
          </changeSet>
          <changeSet id="8" author="bob">
            <preConditions onFail="MARK_RAN">
              <sqlCheck expectedResult="2">SELECT count(*) FROM person</sqlCheck>
              <columnExists tableName="person" columnName="name"/>
            </preConditions>
            <sql>CREATE TABLE counted (id INTEGER)</sql>
            <rollback>DROP TABLE counted</rollback>
          </changeSet>
        </databaseChangeLog>
        """

    /// What must match between the two tools: everything but the dates and the deployment id.
    static let rowColumns = "ID, AUTHOR, FILENAME, ORDEREXECUTED, EXECTYPE, MD5SUM, DESCRIPTION, COMMENTS, TAG, LIQUIBASE, CONTEXTS, LABELS"

    func strata(_ database: any Database, count: Int? = nil) throws -> ChangeLogRunner {
        let changelog = try LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path,
                                                   options: ChangelogOptions(database: database.dialect is PostgresDialect ? "postgresql" : "sqlite"))
        return ChangeLogRunner(database: database, changelog: changelog,
                               rendering: LiquibaseRendering(flavor: database.dialect is PostgresDialect ? .postgresql : .sqlite))
    }

    func texts(_ database: any Database, _ sql: String) throws -> [[String]] {
        try database.query(sql, []).map { $0.map { $0.string ?? "NULL" } }
    }

    // MARK: SQLite

    func sqlite(_ name: String) throws -> (any Database, [String]) {
        (try SQLiteDatabase(path: folder.file(name)), ["--url=jdbc:sqlite:\(folder.file(name))"])
    }

    func sqliteSchema(_ database: any Database) throws -> [[String]] {
        try texts(database, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'DATABASECHANGELOG%' ORDER BY name")
    }

    @Test func onSQLiteBothToolsLeaveTheSameRowsAndSchema() throws {
        folder.write("changelog.xml", Self.changelog)
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "update")
        let (byStrata, _) = try sqlite("strata.db")
        try strata(byStrata).update()
        let rows = "SELECT \(Self.rowColumns) FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED"
        #expect(try texts(byStrata, rows) == texts(byLiquibase, rows))
        #expect(try texts(byStrata, rows).map { $0[4] } == ["EXECUTED", "EXECUTED", "MARK_RAN", "EXECUTED", "EXECUTED", "EXECUTED"])
        #expect(try sqliteSchema(byStrata) == sqliteSchema(byLiquibase))
        #expect(try texts(byStrata, "SELECT sql FROM sqlite_master WHERE name LIKE 'DATABASECHANGELOG%' ORDER BY name")
            == texts(byLiquibase, "SELECT sql FROM sqlite_master WHERE name LIKE 'DATABASECHANGELOG%' ORDER BY name"))
    }

    @Test func onSQLiteStrataContinuesLiquibaseAndLiquibaseContinuesStrata() throws {
        folder.write("changelog.xml", Self.changelog)
        let (database, connection) = try sqlite("shared.db")
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "update-count", "--count=2")
        let report = try strata(database).update()
        #expect(report.recorded.map(\.identity.id) == ["3", "4", "5", "8"])
        #expect(try texts(database, "SELECT count(*) FROM person") == [["2"]])
        // Liquibase finds nothing to do, and rolls back what Strata applied.
        let status = try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "status")
        #expect(status.contains("1 changeset has not been applied") && status.contains("changelog.xml::6::bob"), "\(status)")
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "rollback-count", "--count=1")
        #expect(try texts(database, "SELECT name FROM sqlite_master WHERE name = 'counted'").isEmpty)
        // Strata applies it again; Liquibase rolls back to the tag Strata recorded, the tagDatabase changeset included.
        #expect(try strata(database).update().recorded.map(\.identity.id) == ["8"])
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "rollback", "--tag=v1")
        #expect(try texts(database, "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED") == [["1"], ["2"], ["3"]])
        #expect(try strata(database).status().plan.steps.map(\.identity.id) == ["4", "5", "6", "8"])
    }

    @Test(.enabled(if: ConformanceFixtures.available, "the shared fixtures are not on this machine"))
    func aStoredV8ChecksumIsAcceptedAndUpgradedOnlyForChangeSetsTheFiltersSelect() throws {
        let root = ConformanceFixtures.shared!.path("liquibase/liquibase-4.33.0/liquibase-integration-tests/src/test/resources")
        let path = "changelogs/common/checksum-changelog.xml"
        for (contexts, expected) in [(Set<String>(), "9:"), (["example-context2"], "8:")] {
            let database = try SQLiteDatabase(path: ":memory:")
            let changelog = try LiquibaseChangelog.load(path: path, searchPath: root, options: ChangelogOptions(database: "sqlite", contexts: contexts))
            let runner = ChangeLogRunner(database: database, changelog: changelog, rendering: LiquibaseRendering(flavor: .sqlite),
                                         options: ChangeLogRunOptions(contexts: contexts))
            try runner.changelogSync(count: 0)
            try database.execute("""
                INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE, MD5SUM) \
                VALUES ('1', 'your.name', '\(path)', CURRENT_TIMESTAMP, 1, 'EXECUTED', '8:d925207397a5bb8863a41d513a65afd1')
                """)
            try runner.changelogSync()
            let checksums = try texts(database, "SELECT ID, substr(MD5SUM, 1, 2) FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")
            #expect(checksums == [["1", expected], ["2", "9:"]], "contexts \(contexts)")
        }
    }

    // MARK: PostgreSQL

    func postgres(_ server: TestPostgres) throws -> (any Database, [String]) {
        let name = try server.createDatabase()
        try server.psql("ALTER DATABASE \(name) OWNER TO \(server.passwordRole)")
        guard case .postgres(let conninfo) = try DatabaseURL(parsing: server.passwordURL(database: name)) else { fatalError() }
        return (try PostgresDatabase(conninfo: conninfo), RealLiquibase.jdbcURL(server, database: name))
    }

    func postgresSchema(_ database: any Database) throws -> [[String]] {
        try texts(database, """
            SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, coalesce(character_maximum_length, 0)
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """) + texts(database, "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")
            + texts(database, "SELECT viewname::text, definition FROM pg_views WHERE schemaname = 'public' ORDER BY viewname")
    }

    @Test(.enabled(if: TestPostgres.available, "no PostgreSQL server for the tests"))
    func onPostgreSQLBothToolsLeaveTheSameRowsTablesAndSchema() throws {
        folder.write("changelog.xml", Self.changelog)
        let server = TestPostgres.shared!
        let (byLiquibase, connection) = try postgres(server)
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "update")
        let (byStrata, _) = try postgres(server)
        try strata(byStrata).update()
        let rows = "SELECT \(Self.rowColumns) FROM databasechangelog ORDER BY ORDEREXECUTED"
        #expect(try texts(byStrata, rows) == texts(byLiquibase, rows))
        #expect(try texts(byStrata, rows).map { $0[0] } == ["1", "2", "3", "4", "5", "7", "8"])
        // The schema includes Liquibase's two tables: the columns and the lock table's key match.
        #expect(try postgresSchema(byStrata) == postgresSchema(byLiquibase))
        #expect(try texts(byStrata, "SELECT id, locked::text FROM databasechangeloglock") == [["1", "false"]])
    }

    @Test(.enabled(if: TestPostgres.available, "no PostgreSQL server for the tests"))
    func onPostgreSQLEachToolContinuesTheOther() throws {
        folder.write("changelog.xml", Self.changelog)
        let (database, connection) = try postgres(TestPostgres.shared!)
        try strata(database).update(count: 3)
        try liquibase.run(folder: folder.path, changelog: "changelog.xml", connection: connection, "update")
        #expect(try texts(database, "SELECT ID, EXECTYPE FROM databasechangelog ORDER BY ORDEREXECUTED").map { $0.joined(separator: " ") }
            == ["1 EXECUTED", "2 EXECUTED", "3 MARK_RAN", "4 EXECUTED", "5 EXECUTED", "7 EXECUTED", "8 EXECUTED"])
        #expect(try strata(database).update().recorded.isEmpty)
        #expect(try texts(database, "SELECT count(*) FROM person") == [["2"]])
    }
}
