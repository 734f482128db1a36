import Foundation
import Strata
import StrataLiquibase
@testable import StrataLiquibaseRunner
import StrataPostgres
import StrataSQLite
import StrataTestSupport
import Testing

/// Liquibase 4.29's `tag`, `changelog-sync`, `clear-checksums`, `update-to-tag` and rollback, its
/// changelog-level preconditions, includes and lock, against what Strata does with the same changelog.
@Suite(.enabled(if: RealLiquibase.available, "Liquibase or Java is not installed here (\(RealLiquibase.installHint)); skipping"))
struct RealLiquibaseCommandTests {
    let liquibase = RealLiquibase.shared!
    let folder = TemporaryFolder()

    static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.29.xsd">
        """

    init() {
        folder.write("root.xml", Self.header + """
              <changeSet id="1" author="ann">
                <sql>CREATE TABLE a (id INTEGER)</sql>
                <rollback>DROP TABLE a</rollback>
              </changeSet>
              <changeSet id="2" author="ann">
                <preConditions onFail="MARK_RAN"><not><tableExists tableName="a"/></not></preConditions>
                <sql>CREATE TABLE a (id INTEGER)</sql>
                <rollback>DROP TABLE a</rollback>
              </changeSet>
              <include file="inc/child.xml" context="outer" labels="lab1"/>
              <changeSet id="5" author="ann" runAlways="true"><sql>CREATE TABLE IF NOT EXISTS r (id INTEGER)</sql></changeSet>
              <changeSet id="6" author="ann"><tagDatabase tag="v6"/></changeSet>
              <changeSet id="7" author="ann" context="test"><sql>CREATE TABLE t (id INTEGER)</sql></changeSet>
            </databaseChangeLog>
            """)
        folder.write("inc/child.xml", Self.header + """
              <include file="sub/grand.xml" relativeToChangelogFile="true" context="inner, x" labels="zz, lab2"/>
              <changeSet id="c1" author="ann" context="own" labels="own, alpha"><sql>CREATE TABLE c1 (id INTEGER)</sql></changeSet>
              <changeSet id="c2" author="ann">
                <comment>\(String(repeating: "A comment longer than the column. ", count: 9))</comment>
                <sql>CREATE TABLE c2 (id INTEGER)</sql>
              </changeSet>
            </databaseChangeLog>
            """)
        folder.write("inc/sub/grand.xml", Self.header + """
              <changeSet id="g1" author="ann" context="own2 or other"><sql>CREATE TABLE g1 (id INTEGER)</sql></changeSet>
              <changeSet id="g2" author="ann"><sql>CREATE TABLE g2 (id INTEGER)</sql></changeSet>
            </databaseChangeLog>
            """)
    }

    func strata(_ database: any Database, path: String = "root.xml", contexts: Set<String> = []) throws -> ChangeLogRunner {
        let changelog = try LiquibaseChangelog.load(path: path, searchPath: folder.path,
                                                   options: ChangelogOptions(database: "sqlite", contexts: contexts))
        return ChangeLogRunner(database: database, changelog: changelog,
                               rendering: LiquibaseRendering(flavor: .sqlite, contexts: contexts), options: ChangeLogRunOptions(contexts: contexts))
    }

    func sqlite(_ name: String) throws -> (SQLiteDatabase, [String]) {
        (try SQLiteDatabase(path: folder.file(name)), ["--url=jdbc:sqlite:\(folder.file(name))"])
    }

    /// Every column but the dates and the deployment id; the id of Liquibase's own row is a time.
    func rows(_ database: any Database) throws -> [[String]] {
        try database.query("""
            SELECT CASE WHEN FILENAME = 'liquibase-internal' THEN 'time' ELSE ID END, AUTHOR, FILENAME, ORDEREXECUTED, EXECTYPE, \
            MD5SUM, DESCRIPTION, COMMENTS, TAG, LIQUIBASE, CONTEXTS, LABELS FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED
            """, []).map { $0.map { $0.string ?? "NULL" } }
    }

    @Test func tagChangelogSyncClearChecksumsAndUpdateLeaveLiquibasesRows() throws {
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        let (byStrata, _) = try sqlite("strata.db")
        let synced: Set<String> = ["outer", "inner", "own"]
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "tag", "--tag=start")
        try strata(byStrata).tag("start")
        #expect(try rows(byStrata) == rows(byLiquibase))
        #expect(try rows(byStrata).first?[8] == "start")
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "changelog-sync", "--contexts=outer,inner,own")
        try strata(byStrata, contexts: synced).changelogSync()
        #expect(try rows(byStrata) == rows(byLiquibase))
        #expect(try rows(byStrata).map { "\($0[0]) \($0[4]) \($0[10]) \($0[11])" } == [
            "time EXECUTED NULL NULL", "1 EXECUTED NULL NULL", "2 EXECUTED NULL NULL",
            "g2 EXECUTED (inner, x) AND outer zz,lab2,lab1", "c1 EXECUTED outer AND own lab1,own,alpha", "c2 EXECUTED outer lab1",
            "5 EXECUTED NULL NULL", "6 EXECUTED NULL NULL",
        ])
        // A comment past the column's 250 characters keeps 247 and "...", as Liquibase writes it.
        let comment = try #require(try rows(byStrata).first { $0[0] == "c2" }?[7])
        #expect(comment.count == 250 && comment.hasSuffix(". A comment..."))
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "clear-checksums")
        try strata(byStrata).clearChecksums()
        #expect(try rows(byStrata) == rows(byLiquibase))
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "update", "--contexts=outer,inner,own2,test")
        try strata(byStrata, contexts: ["outer", "inner", "own2", "test"]).update()
        // g1 and 7 ran, 5 ran again; the rows the contexts leave out (c1) keep no checksum.
        #expect(try rows(byStrata) == rows(byLiquibase))
        #expect(try rows(byStrata).filter { $0[5] == "NULL" }.map(\.[0]) == ["time", "c1"])
    }

    @Test func updateToTagStopsWhereLiquibaseStops() throws {
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        let (byStrata, _) = try sqlite("strata.db")
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "update-to-tag", "--tag=v6")
        try strata(byStrata).update(upToTag: "v6")
        #expect(try rows(byStrata) == rows(byLiquibase))
        #expect(try rows(byStrata).last?[0] == "6")
    }

    @Test func rollingBackAMarkRanChangeSetRunsItsRollbackInLiquibaseButNotInStrata() throws {
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        let (byStrata, _) = try sqlite("strata.db")
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "update-count", "--count=2")
        try strata(byStrata).update(count: 2)
        #expect(try rows(byStrata) == rows(byLiquibase))
        try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection, "rollback-count", "--count=1")
        try strata(byStrata).rollback(.count(1))
        #expect(try rows(byStrata) == rows(byLiquibase))
        // Liquibase drops the table changeset 1 created; Strata leaves it, as changeset 2 never ran.
        let table = "SELECT count(*) FROM sqlite_master WHERE name = 'a'"
        #expect(try byLiquibase.query(table, []).first?.first?.int == 0)
        #expect(try byStrata.query(table, []).first?.first?.int == 1)
    }

    @Test func rollbackLeavesOutAndDoesNotCountWhatTheContextsLeaveOut() throws {
        folder.write("ctx.xml", Self.header + """
              <changeSet id="1" author="ann"><sql>CREATE TABLE a (id INTEGER)</sql><rollback>DROP TABLE a</rollback></changeSet>
              <changeSet id="2" author="ann"><sql>CREATE TABLE b (id INTEGER)</sql><rollback>DROP TABLE b</rollback></changeSet>
              <changeSet id="3" author="ann" context="test"><sql>CREATE TABLE c (id INTEGER)</sql><rollback>DROP TABLE c</rollback></changeSet>
            </databaseChangeLog>
            """)
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        let (byStrata, _) = try sqlite("strata.db")
        try liquibase.run(folder: folder.path, changelog: "ctx.xml", connection: connection, "update")
        try strata(byStrata, path: "ctx.xml").update()
        try liquibase.run(folder: folder.path, changelog: "ctx.xml", connection: connection, "rollback-count", "--count=1", "--contexts=prod")
        #expect(try strata(byStrata, path: "ctx.xml", contexts: ["prod"]).rollback(.count(1)).rolledBack.map(\.id) == ["2"])
        #expect(try rows(byStrata) == rows(byLiquibase))
        #expect(try rows(byStrata).map(\.[0]) == ["1", "3"])
    }

    @Test func aFailedChangelogPreconditionAndAnEmptyIncludeAllFolderStopBothTools() throws {
        folder.write("guarded.yaml", """
            databaseChangeLog:
              - preConditions:
                  - onFail: CONTINUE
                  - tableExists:
                      tableName: nope
              - changeSet:
                  id: 1
                  author: ann
                  changes:
                    - sql: CREATE TABLE a (id INTEGER)
            """)
        let (byLiquibase, connection) = try sqlite("liquibase.db")
        #expect(throws: TestPostgresError.self) {
            try liquibase.run(folder: folder.path, changelog: "guarded.yaml", connection: connection, "update")
        }
        #expect(throws: PreconditionHaltError.self) { try strata(try sqlite("strata.db").0, path: "guarded.yaml").update() }
        let table = "SELECT count(*) FROM sqlite_master WHERE name = 'a'"
        #expect(try byLiquibase.query(table, []).first?.first?.int == 0)
        #expect(try sqlite("strata.db").0.query(table, []).first?.first?.int == 0)

        try FileManager.default.createDirectory(atPath: folder.file("empty"), withIntermediateDirectories: true)
        folder.write("all.xml", Self.header + "<includeAll path=\"empty/\"/></databaseChangeLog>")
        let refused = #expect(throws: TestPostgresError.self) {
            try liquibase.run(folder: folder.path, changelog: "all.xml", connection: connection, "update")
        }
        #expect(refused?.message.contains("directory was empty, or no changelogs matched") == true)
        #expect(throws: ChangelogError.self) { try strata(byLiquibase, path: "all.xml") }
    }

    @Test(.enabled(if: TestPostgres.available, "no PostgreSQL server for the tests"))
    func liquibaseDoesNotRunWhileAStrataRunHoldsTheLock() throws {
        let server = TestPostgres.shared!
        let name = try server.createDatabase()
        try server.psql("ALTER DATABASE \(name) OWNER TO \(server.passwordRole)")
        guard case .postgres(let conninfo) = try DatabaseURL(parsing: server.passwordURL(database: name)) else { return }
        let database = try PostgresDatabase(conninfo: conninfo)
        let lock = LiquibaseLock(database: database)
        try lock.createIfMissing()
        #expect(try lock.tryAcquire(as: StrataLockOwner.current()))
        let connection = RealLiquibase.jdbcURL(server, database: name)
        let refused = #expect(throws: TestPostgresError.self) {
            try liquibase.run(folder: folder.path, changelog: "root.xml", connection: connection + ["--changelog-lock-wait-time-in-minutes=0"], "update")
        }
        #expect(refused?.message.contains("Could not acquire change log lock") == true, "\(refused?.message ?? "")")
        #expect(try database.query("SELECT count(*) FROM databasechangelog", []).first?.first?.int == 0)
        // A row a Strata run left behind is taken back by the next Strata run: its own advisory lock proves the other gone.
        let runner = ChangeLogRunner(database: database, changelog: try LiquibaseChangelog.load(
            path: "inc/sub/grand.xml", searchPath: folder.path, options: ChangelogOptions(database: "postgresql")),
            rendering: LiquibaseRendering(flavor: .postgresql))
        #expect(try runner.update().recorded.count == 2)
        #expect(try lock.holder() == nil)
    }
}
