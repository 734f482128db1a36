import Foundation
import Testing
@testable import StrataLiquibase

/// The parser facts Liquibase's own tests assert about its fixtures (`parserCases`).
@Suite struct ChangelogReadingTests {
    static let prefix = "liquibase-4.33.0/liquibase-standard/src/test/resources/"

    /// Cases that need a Java test extension or Liquibase's duplicate-visiting iteration.
    static let outOfScope = ["nestedObjectsChangeLog", "primitiveChangeLog", "ignoreDuplicatedChangeLogs", "unusedTagsChangeLog"]

    static var cases: [[String: Any]] {
        (LiquibaseFixtures.shared?.records("parserCases") ?? []).filter { record in
            let file = record["file"] as? String ?? ""
            return file.hasPrefix(prefix) && !outOfScope.contains { file.contains($0) }
        }
    }

    static func load(_ record: [String: Any], database: String? = nil) throws -> LiquibaseChangelog {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let file = String((record["file"] as! String).dropFirst(prefix.count))
        var options = ChangelogOptions(properties: record["parameters"] as? [String: String] ?? [:])
        options.contexts = Set(record["contexts"] as? [String] ?? [])
        options.database = database ?? ((record["database"] as? String).map { $0.contains("mock") ? "mock" : $0 })
        return try LiquibaseChangelog.load(path: file, searchPath: fixtures.parserRoot, options: options)
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"), arguments: cases.map { $0["file"] as! String })
    func upstreamParserCase(file: String) throws {
        let record = try #require(Self.cases.first { $0["file"] as? String == file })
        switch record["expect"] as? String {
        case "error":
            #expect(throws: ChangelogError.self) { try Self.load(record) }
        default:
            if let byDatabase = record["changeSetCountByDatabase"] as? [String: Int] {
                for (database, count) in byDatabase {
                    #expect(try Self.load(record, database: database).changeSets.count == count, "\(database)")
                }
                return
            }
            let changelog = try Self.load(record)
            if let expected = record["changeSets"] as? [String] {
                #expect(changelog.changeSets.map { "\($0.id)::\($0.author)" } == expected)
            }
            if let expected = record["changeSetsWithPaths"] as? [String] {
                #expect(changelog.changeSets.map { $0.identity.description } == expected)
            }
            if let count = record["changeSetCount"] as? Int {
                #expect(changelog.changeSets.count == count)
            }
            for check in record["asserts"] as? [[String: Any]] ?? [] {
                try verify(check, in: changelog)
            }
        }
    }

    /// `"sql: drop table x"` and `"insert valueNumeric=1"` name the kinds `sql` and `insert`.
    static func kindName(_ description: String) -> String {
        String(description.prefix { $0 != " " && $0 != ":" })
    }

    /// The asserts this model can state plainly: filePath, comment, flags and change names.
    func verify(_ check: [String: Any], in changelog: LiquibaseChangelog) throws {
        guard let key = check["changeSet"] as? String, let property = check["property"] as? String else { return }
        let changeSet = try #require(
            key == "first" ? changelog.changeSets.first : changelog.changeSets.first { "\($0.id)::\($0.author)" == key || $0.identity.description == key },
            "\(key)"
        )
        let expected = check["equals"]
        switch property {
        case "filePath": #expect(changeSet.filePath == expected as? String)
        case "comment": #expect(changeSet.comment == expected as? String)
        case "runAlways": #expect(changeSet.runAlways == expected as? Bool)
        case "runOnChange": #expect(changeSet.runOnChange == expected as? Bool)
        case "changes": #expect(changeSet.changes.map(\.kind.rawValue) == (expected as? [String])?.map(Self.kindName))
        case "rollback": #expect(changeSet.rollback?.map(\.kind.rawValue) == (expected as? [String])?.map(Self.kindName))
        case "changes[0].tableName": #expect(changeSet.changes.first?.string("tableName") == expected as? String)
        case "logicalFilePath": #expect(changeSet.filePath == expected as? String)
        case "changes[0].stripComments": #expect(changeSet.changes.first?.bool("stripComments") == expected as? Bool)
        default: break
        }
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"))
    func changelogPreconditionsTakeProperties() throws {
        let record = try #require(Self.cases.first { ($0["file"] as? String)?.hasSuffix("xml/preconditionsChangeLog.xml") == true })
        let changelog = try Self.load(record)
        #expect(changelog.preconditions.first?.conditions == [
            .runningAs(username: "testUser"), .or([.dbms(types: ["mssql"]), .dbms(types: ["mysql"])]),
        ])
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"))
    func errorsNameTheFileAndLine() throws {
        let record = try #require(Self.cases.first { ($0["file"] as? String)?.hasSuffix("xml/malformedChangeLog.xml") == true })
        let error = try #require(throws: ChangelogError.self) { try Self.load(record) }
        #expect(error.location.file.hasSuffix("malformedChangeLog.xml"))
        #expect(error.location.line > 0)
        #expect(error.description.contains("unknownTag"))
    }
}
