import Foundation
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// Every changelog error names the file and the line to fix, whatever the format.
@Suite struct ChangelogErrorTests {
    let folder = TemporaryFolder()

    func error(_ name: String, _ text: String) throws -> ChangelogError {
        folder.write(name, text)
        return try #require(throws: ChangelogError.self) { try LiquibaseChangelog.load(path: name, searchPath: folder.path) }
    }

    @Test func yamlSyntaxErrorsNameTheirLine() throws {
        let error = try error("changelog.yaml", "databaseChangeLog:\n  - changeSet:\n      id: 1\n    author: [unclosed\n")
        #expect(error.location.file.hasSuffix("changelog.yaml"))
        #expect(error.location.line >= 4)
    }

    @Test func jsonErrorsNameTheirLine() throws {
        let error = try error("changelog.json", "{\"databaseChangeLog\": [\n  {\"changeSet\": {\"id\": \"1\", \"author\": \"a\",\n    \"changes\": [{\"craeteTable\": {\"tableName\": \"t\"}}]}}\n]}\n")
        #expect(error.location.line == 3)
        #expect(error.reason == .unknownElement("craeteTable", context: "a changeSet (a change type, comment, preConditions, rollback, modifySql or validCheckSum)"))
    }

    @Test func xmlErrorsNameTheirLine() throws {
        let error = try error("changelog.xml", "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\" runAlways=\"sometimes\">\n  </changeSet>\n</databaseChangeLog>\n")
        #expect(error.location.line == 2)
        #expect(error.description.contains("runAlways=\"sometimes\" is not valid; expected true or false"))
    }

    @Test func formattedSQLNearMissesAreErrors() throws {
        let error = try error("changelog.sql", "--liquibase formatted sql\n--changeset a:1\nselect 1;\n--comments not like this\n")
        #expect(error.location.line == 4)
        #expect(error.description.hasPrefix(error.location.description + ": "))
    }

    @Test func missingIncludesNameTheIncludingLine() throws {
        let error = try error("changelog.xml", "<databaseChangeLog>\n\n  <include file=\"gone.xml\"/>\n</databaseChangeLog>\n")
        #expect(error.location.line == 3)
        #expect(error.reason == .fileNotFound("gone.xml"))
    }

    @Test func duplicateChangeSetsAreErrors() throws {
        let error = try error("changelog.xml", "<databaseChangeLog>\n<changeSet id=\"1\" author=\"a\"/>\n<changeSet id=\"1\" author=\"a\"/>\n</databaseChangeLog>\n")
        #expect(error.location.line == 3)
        #expect(error.reason == .duplicateChangeSet(ChangeSetIdentity(id: "1", author: "a", path: "changelog.xml")))
    }

    /// An include between the two copies does not make the second look like the same file
    /// read again (it was skipped, its changes never run, while validate and status agreed).
    @Test func aDuplicateAfterAnIncludeIsStillAnError() throws {
        folder.write("other.xml", "<databaseChangeLog>\n<changeSet id=\"9\" author=\"b\"/>\n</databaseChangeLog>\n")
        let error = try error("changelog.xml", """
            <databaseChangeLog>
            <changeSet id="1" author="a"/>
            <include file="other.xml" relativeToChangelogFile="true"/>
            <changeSet id="1" author="a"/>
            </databaseChangeLog>

            """)
        #expect(error.location.line == 4)
        #expect(error.reason == .duplicateChangeSet(ChangeSetIdentity(id: "1", author: "a", path: "changelog.xml")))
    }
}
