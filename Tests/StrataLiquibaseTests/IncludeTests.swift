import Foundation
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// What includes pass down, and the order changesets run in.
@Suite struct IncludeTests {
    @Test func includeContextsAndLabelsAreInherited() throws {
        let folder = TemporaryFolder()
        folder.write("db/root.yaml", """
            databaseChangeLog:
              - include:
                  file: child.xml
                  relativeToChangelogFile: true
                  context: prod
                  labels: release
            """)
        folder.write("db/child.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="1" author="a" context="eu"><sql>select 1</sql></changeSet>
            </databaseChangeLog>
            """)
        let changeSet = try #require(try LiquibaseChangelog.load(path: "db/root.yaml", searchPath: folder.path).changeSets.first)
        #expect(changeSet.filePath == "db/child.xml")
        #expect(changeSet.labels == ["release"])
        #expect(changeSet.matches(contexts: ["prod", "eu"]))
        #expect(!changeSet.matches(contexts: ["eu"]))
        #expect(!changeSet.matches(contexts: ["prod"]))
        #expect(changeSet.matches(contexts: []))
    }

    @Test func runOrderMovesChangeSetsFirstOrLast() throws {
        let folder = TemporaryFolder()
        folder.write("changelog.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="a" author="x" runOrder="last"><sql>select 1</sql></changeSet>
              <changeSet id="b" author="x"><sql>select 2</sql></changeSet>
              <changeSet id="c" author="x" runOrder="first"><sql>select 3</sql></changeSet>
            </databaseChangeLog>
            """)
        let changelog = try LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path)
        #expect(changelog.changeSets.map(\.id) == ["c", "b", "a"])
    }

    @Test func propertiesFollowLiquibasesPrecedenceAndScopes() throws {
        let folder = TemporaryFolder()
        folder.write("changelog.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <property name="table" value="from_file"/>
              <property name="first" value="one"/>
              <property name="first" value="two"/>
              <property name="type" value="jsonb" dbms="postgresql"/>
              <property name="type" value="text"/>
              <property name="suffix" value="_test" context="test"/>
              <property name="suffix" value=""/>
              <changeSet id="1" author="a">
                <sql>create table ${TABLE}${suffix} (v ${type}, w ${first}, x ${missing})</sql>
              </changeSet>
            </databaseChangeLog>
            """)
        func sql(_ options: ChangelogOptions) throws -> String? {
            try LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path, options: options).changeSets.first?.changes.first?.string("sql")
        }
        #expect(try sql(ChangelogOptions(properties: ["table": "from_caller"], database: "postgresql", contexts: ["test"]))
            == "create table from_caller_test (v jsonb, w one, x ${missing})")
        #expect(try sql(ChangelogOptions(database: "sqlite", contexts: ["prod"])) == "create table from_file (v text, w one, x ${missing})")
    }

    @Test func includeAllReadsAFolderInPathOrderAndRefusesAnEmptyOne() throws {
        let folder = TemporaryFolder()
        folder.write("db/root.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <includeAll path="changes/" relativeToChangelogFile="true"/>
              <includeAll path="db/empty/"/>
            </databaseChangeLog>
            """)
        for name in ["b", "a"] {
            folder.write("db/changes/\(name).xml", """
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
                  <changeSet id="\(name)" author="ann"><sql>select 1</sql></changeSet>
                </databaseChangeLog>
                """)
        }
        try FileManager.default.createDirectory(atPath: folder.file("db/empty"), withIntermediateDirectories: true)
        let error = #expect(throws: ChangelogError.self) { try LiquibaseChangelog.load(path: "db/root.xml", searchPath: folder.path) }
        #expect(error?.description.hasSuffix("db/root.xml:3: path=\"db/empty/\" is not valid; expected a folder with files in it, "
            + "or errorIfMissingOrEmpty=\"false\".") == true)
        folder.write("db/root.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <includeAll path="changes/" relativeToChangelogFile="true"/>
              <includeAll path="db/empty/" errorIfMissingOrEmpty="false"/>
              <includeAll path="db/notes/"/>
            </databaseChangeLog>
            """)
        // A folder with files, none of them a changelog, includes nothing.
        folder.write("db/notes/readme.txt", "not a changelog")
        let changelog = try LiquibaseChangelog.load(path: "db/root.xml", searchPath: folder.path)
        #expect(changelog.changeSets.map(\.identity.description) == ["db/changes/a.xml::a::ann", "db/changes/b.xml::b::ann"])
    }
}
