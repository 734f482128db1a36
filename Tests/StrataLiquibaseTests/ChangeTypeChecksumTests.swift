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
