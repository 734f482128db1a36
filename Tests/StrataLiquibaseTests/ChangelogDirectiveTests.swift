import Foundation
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// Changelog directives Strata either follows as Liquibase 4.29 does or refuses, naming the
/// file and line; none is ignored.
@Suite struct ChangelogDirectiveTests {
    func load(_ files: [String: String], root: String, database: String? = "postgresql") throws -> LiquibaseChangelog {
        let folder = TemporaryFolder()
        for (name, text) in files { folder.write(name, text) }
        return try LiquibaseChangelog.load(path: root, searchPath: folder.path, options: ChangelogOptions(database: database))
    }

    /// Liquibase 4.29's open-source edition refuses these (a Pro feature); so does Strata.
    @Test(arguments: ["--include file:b.sql", "--includeAll path:more/", "-- include file:b.sql"])
    func formattedSQLIncludeIsRefusedAtItsLine(line: String) throws {
        let text = "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE a (id INTEGER);\n\(line)\n"
        let error = try #require(throws: ChangelogError.self) { try load(["root.sql": text], root: "root.sql") }
        #expect(error.location.line == 4)
        #expect(error.location.file.hasSuffix("root.sql"))
        #expect(error.description.contains("Liquibase Pro"))
    }

    @Test func includeAllWithAResourceFilterIsRefused() throws {
        let xml = #"<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\#n<includeAll path="more/" resourceFilter="com.example.Filter"/>\#n</databaseChangeLog>"#
        let error = try #require(throws: ChangelogError.self) { try load(["root.xml": xml, "more/a.sql": "select 1;"], root: "root.xml") }
        #expect(error.location.line == 2)
        #expect(error.description.contains("resourceFilter"))
    }

    /// Liquibase 4.29 recorded 9:eec42d0a… for both changesets on PostgreSQL: the removed
    /// `afterColumn` counts neither in the SQL nor in the checksum.
    @Test func removeChangeSetPropertyTakesTheAttributeOffForItsDatabases() throws {
        let xml = """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <removeChangeSetProperty change="addColumn" dbms="postgresql" remove="afterColumn"/>
              <changeSet id="1" author="t">
                <addColumn tableName="t"><column name="c" type="int" afterColumn="b"/></addColumn>
              </changeSet>
              <changeSet id="2" author="t">
                <addColumn tableName="t"><column name="c" type="int"/></addColumn>
              </changeSet>
            </databaseChangeLog>
            """
        let postgres = try load(["root.xml": xml], root: "root.xml")
        #expect(postgres.changeSets.map { $0.checksum(.v9, database: "postgresql") } == Array(repeating: "9:eec42d0ac256b03027ee89a694253854", count: 2))
        let sqlite = try load(["root.xml": xml], root: "root.xml", database: "sqlite")
        #expect(sqlite.changeSets[0].changes[0].node.children.first { !$0.isLeaf }?.string("afterColumn") == "b")
    }
}
