import StrataTestSupport
import Foundation
@testable import Strata
import StrataSQLite
import Testing

/// Under CI the fixtures are always laid beside the clone: their absence is a failure, not a skip.
@Test func conformanceFixturesArePresentUnderCI() {
    let underCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!underCI || ConformanceFixtures.available, "CI=true but ../shared/fixtures/expectations.json was not found")
}

/// Strata against what Flyway's own tests assert, from `../shared/fixtures`.
@Suite(.enabled(if: ConformanceFixtures.available, "the conformance fixtures (../shared/fixtures) are not present"))
struct ConformanceTests {
    let fixtures = ConformanceFixtures.shared!

    @Test func versionRules() throws {
        func version(_ text: String) -> MigrationVersion? { text == "@latest" || text == "@empty" ? nil : MigrationVersion(text) }
        var checked = 0
        for record in fixtures.records("versionCases") {
            if let a = record["a"] as? String, let b = record["b"] as? String, let compare = record["compare"] as? String {
                guard let left = version(a), let right = version(b) else { continue }
                switch compare {
                case "<": #expect(left < right, "\(a) < \(b)")
                case ">": #expect(left > right, "\(a) > \(b)")
                default: #expect(left == right, "\(a) = \(b)")
                }
                checked += 1
            } else if let input = record["input"] as? String {
                if let valid = record["valid"] as? Bool {
                    #expect((MigrationVersion(input) != nil) == valid, "\(input) valid: \(valid)")
                }
                if let display = (record["display"] ?? record["normalized"]) as? String {
                    #expect(MigrationVersion(input)?.text == display)
                }
                checked += 1
            } else if let order = record["order"] as? [String] {
                let versions = order.compactMap(MigrationVersion.init)
                #expect(versions == versions.sorted())
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    @Test func fileNameRules() {
        var checked = 0
        for record in fixtures.records("flywayNameCases") {
            guard let prefix = record["prefix"] as? String, ["V", "R"].contains(prefix),
                  record["separator"] as? String == "__", record["suffixes"] as? [String] == [".sql"],
                  let name = record["name"] as? String, let valid = record["valid"] as? Bool
            else { continue }
            switch FlywayFileName.classify(name) {
            case .migration(let parsed):
                #expect(valid, "\(name) should be invalid")
                #expect(parsed.version?.text == record["version"] as? String)
                #expect(parsed.description == record["description"] as? String)
            case .malformed:
                #expect(!valid, "\(name) should be valid")
            case .unrelated:
                Issue.record("\(name) should be read as a migration file")
            }
            checked += 1
        }
        #expect(checked >= 4)
    }

    @Test func everyFixtureFileNameParsesAsTheExpectationsSay() {
        for record in fixtures.records("files") {
            guard let file = record["file"] as? String, file.hasPrefix("flyway-"),
                  let name = record["name"] as? [String: Any], let kind = name["kind"] as? String
            else { continue }
            let fileName = (file as NSString).lastPathComponent
            guard case .migration(let parsed) = FlywayFileName.classify(fileName) else {
                #expect(!fileName.hasSuffix(".sql") || fileName.hasPrefix("CheckValidate"), "\(file) did not parse")
                continue
            }
            #expect(parsed.kind.rawValue == kind, "\(file)")
            #expect(parsed.version?.text == name["version"] as? String, "\(file)")
            #expect(parsed.description == name["description"] as? String, "\(file)")
        }
    }

    @Test func checksums() throws {
        var checked = 0
        for record in fixtures.records("files") {
            guard let file = record["file"] as? String, let expected = record["flywayChecksum"] as? Int else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fixtures.path(file)))
            #expect(FlywayChecksum.of([UInt8](bytes)) == Int32(expected), "\(file)")
            checked += 1
        }
        let cases = (fixtures.document["checksumCases"] as? [String: Any])?["cases"] as? [[String: Any]] ?? []
        for record in cases {
            if let a = record["textA"] as? String, let b = record["textB"] as? String, let value = record["flywayChecksum"] as? Int {
                #expect(FlywayChecksum.of(a) == Int32(value))
                #expect(FlywayChecksum.of(b) == Int32(value))
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    @Test func subfoldersResolveToScriptNamesRelativeToTheLocation() throws {
        let resolve = try #require(fixtures.records("flywayResolverCases").first { $0["kind"] as? String == "resolve" })
        let catalog = try LocationReader.read(locations: [fixtures.path(resolve["location"] as! String)])
        #expect(catalog.versioned.map(\.version!.text) == resolve["versions"] as? [String])
        #expect(catalog.versioned.map(\.script) == resolve["scriptNames"] as? [String])
    }

    /// Statement boundaries and start lines, as `sqlite3_complete()` finds them.
    @Test func sqliteStatementSplitting() throws {
        var checked = 0
        for record in fixtures.records("files") {
            guard let dialect = record["dialect"] as? String, ["generic", "sqlite"].contains(dialect),
                  let file = record["file"] as? String, let count = record["statements"] as? Int else { continue }
            let statements = try SQLiteScriptSplitter.split(try fixtures.text(file))
            #expect(statements.count == count, "\(file)")
            if let lines = record["statementStartLines"] as? [Int] {
                #expect(statements.map(\.line) == lines, "\(file)")
            }
            checked += 1
        }
        for record in fixtures.records("snippets") where record["dialect"] as? String == "sqlite" {
            let statements = try SQLiteScriptSplitter.split(record["sql"] as! String)
            #expect(statements.count == record["statements"] as? Int, "\(record["id"]!)")
            checked += 1
        }
        #expect(checked > 20)
    }
}

/// Flyway's generic and SQLite fixture folders on real SQLite files.
@Suite(.enabled(if: ConformanceFixtures.available, "the conformance fixtures (../shared/fixtures) are not present"))
struct SQLiteConformanceSetTests {
    let folder = TemporaryFolder()
    let scenarios: GenericFixtureScenarios

    init() {
        let folder = folder
        let counter = Counter()
        scenarios = GenericFixtureScenarios(fixtures: ConformanceFixtures.shared!) {
            try SQLiteDatabase(path: folder.file("db\(counter.next()).sqlite"))
        }
    }

    @Test func setsApplyAndTheirChecksHold() throws { try scenarios.setsApplyAndTheirChecksHold(dialect: "sqlite") }
    @Test func targetsFollowFlyway() throws { try scenarios.targetsFollowFlyway() }
    @Test func lateArrivalIsIgnoredThenAppliedOutOfOrder() throws { try scenarios.lateArrivalIsIgnoredThenAppliedOutOfOrder() }
    @Test func missingFilesFailValidation() throws { try scenarios.missingFilesFailValidation() }
    @Test func failingStatementRollsTheMigrationBack() throws { try scenarios.failingStatementRollsTheMigrationBack() }
}

/// Numbers the databases a suite opens.
final class Counter {
    private var value = 0

    func next() -> Int {
        value += 1
        return value
    }
}
