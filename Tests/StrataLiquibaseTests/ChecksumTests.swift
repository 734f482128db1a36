import Foundation
import Testing
@testable import StrataLiquibase

@Suite struct ChecksumTests {
    /// Every checksum record in expectations.json whose changeset is in a file and whose
    /// version and database Strata computes (V8 anywhere, V9 on h2, postgresql, sqlite, any).
    static var records: [[String: Any]] {
        (LiquibaseFixtures.shared?.records("checksums") ?? []).filter { record in
            record["file"] is String && [8, 9].contains(record["checksumVersion"] as? Int)
        }
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"), arguments: records.indices)
    func publishedChecksum(index: Int) throws {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let record = Self.records[index]
        let logicalPath = try #require(record["logicalPath"] as? String)
        let changelog = try LiquibaseChangelog.load(path: logicalPath, searchPath: fixtures.integrationRoot)
        let key = try #require(record["changeSet"] as? String)
        let changeSet = try #require(changelog.changeSets.first { "\($0.id)::\($0.author)" == key })
        let version: ChecksumVersion = record["checksumVersion"] as? Int == 8 ? .v8 : .v9
        var database = record["database"] as? String ?? "any"
        if database.hasPrefix("any") { database = "postgresql" }
        #expect(changeSet.checksum(version, database: database) == record["checksum"] as? String, "\(logicalPath)::\(key) on \(database)")
    }

    /// What Liquibase 4.29 recorded for traccar on PostgreSQL: every changeset's V9 checksum.
    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"))
    func traccarChecksumsMatchLiquibase() throws {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let folder = fixtures.root.deletingLastPathComponent().appendingPathComponent("real-world/traccar-9e5c458").path
        let rows = try String(contentsOfFile: folder + "/liquibase-4.29-postgres-databasechangelog.txt", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        let changelog = try LiquibaseChangelog.load(path: "changelog-master.xml", searchPath: folder)
        var matched = 0
        for row in rows {
            let identity = ChangeSetIdentity(id: row[0], author: row[1], path: row[2])
            let changeSet = try #require(changelog.changeSets.first { $0.identity == identity }, "\(identity)")
            let checksum = changeSet.checksum(.v9, database: "postgresql")
            #expect(checksum == row[4], "\(identity)")
            if checksum == row[4] { matched += 1 }
        }
        #expect(matched == rows.count)
        #expect(changelog.changeSets.count == 35)
    }

    @Test func validCheckSumAcceptsOtherValues() throws {
        let location = ChangelogLocation(file: "x.xml", line: 1)
        var changeSet = ChangeSet(id: "1", author: "a", filePath: "x.xml", physicalPath: "x.xml", location: location)
        #expect(changeSet.accepts(storedChecksum: "9:d41d8cd98f00b204e9800998ecf8427e", database: "postgresql"))
        #expect(!changeSet.accepts(storedChecksum: "9:0000", database: "postgresql"))
        changeSet.validCheckSums = ["0000"]
        #expect(changeSet.accepts(storedChecksum: "9:0000", database: "postgresql"))
        changeSet.validCheckSums = ["any"]
        #expect(changeSet.accepts(storedChecksum: "8:1234", database: "postgresql"))
    }
}
