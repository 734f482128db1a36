import Foundation
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// Every change type's V9 checksum against the value Liquibase 4.29 computed for the same
/// changeset (``LiquibaseChangeTypeSamples``), so a database Liquibase updated validates.
@Suite struct ChangeTypeChecksumTests {
    static let changelog: LiquibaseChangelog = {
        let folder = TemporaryFolder()
        LiquibaseChangeTypeSamples.write(into: folder)
        return try! LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path, options: ChangelogOptions(database: "postgresql"))
    }()

    @Test(arguments: LiquibaseChangeTypeSamples.liquibaseChecksums.map(\.id))
    func checksumMatchesLiquibase(id: String) throws {
        let changeSet = try #require(Self.changelog.changeSets.first { $0.id == id })
        let expected = LiquibaseChangeTypeSamples.liquibaseChecksums.first { $0.id == id }?.checksum
        #expect(changeSet.checksum(.v9, database: "postgresql") == expected)
    }
}

/// What Liquibase 4.29's `update-sql` wrote for some of the samples on PostgreSQL.
@Suite struct ChangeTypeSampleRenderingTests {
    func statements(_ id: String) throws -> [String] {
        let changeSet = try #require(ChangeTypeChecksumTests.changelog.changeSets.first { $0.id == id })
        return try changeSet.statements(for: .postgresql).map(\.sql)
    }

    /// `#` rows (or `commentLineStartsWith`'s) and blank rows of a CSV load nothing.
    @Test func loadDataSkipsCommentAndBlankRows() throws {
        #expect(try statements("loadDataMessy") == [
            "INSERT INTO t2 (id, name, active) VALUES ('1', 'ann', 'true');",
            "INSERT INTO t2 (id, name, active) VALUES ('2', 'bob, jr', 'false');",
        ])
        #expect(try statements("loadDataNoComments") == ["INSERT INTO t2 (id, name, active) VALUES ('#1', 'x', 'true');"])
    }

    /// A view's `path` file, with its `${…}` properties replaced.
    @Test func createViewReadsItsFile() throws {
        #expect(try statements("createViewProperty") == ["CREATE VIEW v4 AS\nSELECT id FROM t1;"])
    }
}

extension ChangeTypeSampleRenderingTests {
    /// Liquibase's PostgreSQL form, which works without a unique constraint on the key.
    @Test func loadUpdateDataUpdatesOrInsertsEachRowOnPostgreSQL() throws {
        let rows = try statements("loadUpdateData")
        #expect(rows.first == """
            DO
            $$
            BEGIN
            UPDATE t2 SET name = 'ann', active = 'true' WHERE id = '1';
            IF not found THEN
            INSERT INTO t2 (id, name, active) VALUES ('1', 'ann', 'true');
            END IF;
            END;
            $$
            LANGUAGE plpgsql;
            """)
        #expect(rows.count == 2)
    }
}
