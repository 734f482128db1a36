import StrataTestSupport
import Foundation
import Strata
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

    /// Statement boundaries and start lines, as the `sqlite3` shell finds them.
    @Test func sqliteStatementSplitting() throws {
        var checked = 0
        for record in fixtures.records("files") {
            guard let dialect = record["dialect"] as? String, ["generic", "sqlite"].contains(dialect),
                  let file = record["file"] as? String, let count = record["statements"] as? Int else { continue }
            let statements = SQLiteScriptSplitter.split(try fixtures.text(file))
            #expect(statements.count == count, "\(file)")
            if let lines = record["statementStartLines"] as? [Int] {
                #expect(statements.map(\.line) == lines, "\(file)")
            }
            checked += 1
        }
        for record in fixtures.records("snippets") where record["dialect"] as? String == "sqlite" {
            let statements = SQLiteScriptSplitter.split(record["sql"] as! String)
            #expect(statements.count == record["statements"] as? Int, "\(record["id"]!)")
            checked += 1
        }
        #expect(checked > 20)
    }
}

/// Applies the generic and SQLite fixture folders to real SQLite files.
@Suite(.enabled(if: ConformanceFixtures.available, "the conformance fixtures (../shared/fixtures) are not present"))
struct SQLiteConformanceSetTests {
    let fixtures = ConformanceFixtures.shared!
    let folder = TemporaryFolder()

    private func migrator(_ dirs: [String], file: String = "db.sqlite") throws -> Migrator {
        Migrator(
            database: try SQLiteDatabase(path: folder.file(file)),
            catalog: try LocationReader.read(locations: dirs.map(fixtures.path)))
    }

    private func value(_ migrator: Migrator, _ sql: String) throws -> SQLValue? {
        try migrator.database.query(sql, []).first?.first
    }

    /// Every folder the expectations mark as applying cleanly on SQLite, with its checks.
    @Test func setsApplyAndTheirChecksHold() throws {
        var applied = 0
        for set in fixtures.records("sets") {
            guard let dialect = set["dialect"] as? String, ["generic", "sqlite"].contains(dialect),
                  let dir = set["dir"] as? String, dir.hasPrefix("flyway-"),
                  !["flyway-e948f52/failed", "flyway-e948f52/outoforder", "flyway-e948f52/missing"].contains(dir)
            else { continue }
            let migrator = try migrator([dir], file: "\(applied).sqlite")
            let report = try migrator.migrate()
            let order = set["order"] as? [String] ?? []
            #expect(report.applied.count == order.count, "\(dir)")
            let upstream = set["upstream"] as? [String: Any] ?? [:]
            for check in upstream["afterApply"] as? [[String: Any]] ?? [] {
                let result = try value(migrator, check["query"] as! String)
                if let number = check["equals"] as? Int {
                    #expect(result?.int == number, "\(dir): \(check["query"]!)")
                } else {
                    #expect(result?.string == check["equals"] as? String, "\(dir): \(check["query"]!)")
                }
            }
            #expect(try migrator.migrate().applied.isEmpty, "\(dir): a second migrate applies nothing")
            applied += 1
        }
        #expect(applied >= 8)
    }

    @Test func targetsFollowFlyway() throws {
        let migrator = try migrator(["flyway-e948f52/sql"])
        func migrate(to target: String) throws -> MigrateReport {
            try migrator.migrate(MigrateOptions(plan: PlanOptions(target: MigrationTarget(target)!)))
        }
        #expect(try migrate(to: "1.1").currentVersion?.text == "1.1")
        #expect(try migrator.info().infos.filter { $0.state == .pending }.count == 2)
        let report = try migrate(to: "1.2")
        #expect(report.currentVersion?.text == "1.2")
        #expect(report.applied.last?.step.migration.description == "Populate table")
        #expect(try migrate(to: "1.0").applied.isEmpty)
        #expect(try migrator.info().currentVersion?.text == "1.2")
    }

    @Test func lateArrivalIsIgnoredThenAppliedOutOfOrder() throws {
        try migrator(["flyway-e948f52/sql"]).migrate()
        let combined = try migrator(["flyway-e948f52/sql", "flyway-e948f52/outoforder"])
        let info = try combined.info().infos
        #expect(info.count == 5)
        #expect(info[2].version?.text == "1.1.1" && info[2].state == .ignored)
        #expect(try combined.migrate().applied.isEmpty)
        let report = try combined.migrate(MigrateOptions(plan: PlanOptions(outOfOrder: true)))
        #expect(report.applied.count == 1)
        #expect(report.currentVersion?.text == "2.0")
        #expect(try combined.info().infos[2].state == .outOfOrder)
    }

    @Test func missingFilesFailValidation() throws {
        try migrator(["flyway-e948f52/sql"]).migrate()
        let partial = try migrator(["flyway-e948f52/missing"])
        #expect(try partial.info().infos[1].state == .missing)
        #expect(throws: ValidationFailedError.self) { try partial.migrate() }
    }

    @Test func failingStatementRollsTheMigrationBack() throws {
        let file = "flyway-e948f52/failed/V1__Should_Fail.sql"
        let sql = try fixtures.text(file).replacingOccurrences(of: "${tableName}", with: "before_the_error")
        let migration = Migration(kind: .versioned, version: "1", description: "Should Fail", script: "V1__Should_Fail.sql", sql: sql)
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("failed.sqlite")), catalog: try Catalog([migration]))
        let error = try #require(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(error.failure.line == 21)
        #expect(error.failure.statement == "THIS IS NOT VALID SQL")
        #expect(try migrator.database.tableExists(TableName(schema: nil, name: "before_the_error")) == false)
        #expect(try migrator.info().currentVersion == nil)
        #expect(try migrator.history.read().isEmpty)
    }
}
