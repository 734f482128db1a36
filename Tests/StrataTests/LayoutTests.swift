import Foundation
import StrataTestSupport
import Testing
@testable import Strata

@Suite struct LayoutTests {
    @Test func golangMigrateNames() throws {
        let up = try #require(GolangMigrateFileName.parse("20170412214116_date_foobar.up.sql"))
        #expect(up.version.text == "20170412214116" && up.identifier == "date_foobar" && up.direction == .up)
        #expect(GolangMigrateFileName.parse("1_x.down.sql")?.direction == .down)
        for name in ["foobar.up.sql", "1.up.sql", "1_foobar.sql", "-1_foobar.up.sql", "V1__x.sql"] {
            #expect(GolangMigrateFileName.parse(name) == nil, "\(name)")
        }
    }

    @Test func detection() throws {
        let none: (Int) -> String? = { _ in nil }
        #expect(try MigrationLayout.detect(fileNames: ["1_a.up.sql", "1_a.down.sql"], text: none) == .golangMigrate)
        #expect(try MigrationLayout.detect(fileNames: ["V1__a.sql", "helper.sql", "README.md"], text: none) == .flyway)
        #expect(try MigrationLayout.detect(fileNames: ["20240101_a.sql"], text: { _ in "-- a comment\n-- migrate:up\nSELECT 1;" }) == .dbmate)
        #expect(try MigrationLayout.detect(fileNames: ["V1__a.sql", "20240101_a.sql"], text: { _ in "SELECT 1;" }) == .flyway)
        #expect(try MigrationLayout.detect(fileNames: ["1_a.up.sql", "1_a.sql", "x.up.sql"], text: { _ in "SELECT 1;" }) == .golangMigrate)
        #expect(try MigrationLayout.detect(fileNames: [], text: none) == .flyway)
    }

    /// Regression: a folder mixing layouts was read as one of them, skipping the other's files
    /// without a word (`1_x.up.sql` among Flyway files made every `V` file vanish).
    @Test(arguments: [
        (["V1__a.sql", "V2__b.sql", "3_c.up.sql"], "Flyway (m/V1__a.sql) and golang-migrate (m/3_c.up.sql)"),
        (["V1__a.sql", "20240101_b.sql"], "Flyway (m/V1__a.sql) and dbmate (m/20240101_b.sql)"),
        (["20240101_b.sql", "1_a.up.sql"], "golang-migrate (m/1_a.up.sql) and dbmate (m/20240101_b.sql)"),
    ])
    func mixedLayoutsAreAnErrorNamingAFileOfEach(names: [String], found: String) throws {
        let error = try #require(throws: LayoutDetectionError.self) {
            try MigrationLayout.detect(fileNames: names) { _ in "-- migrate:up\nSELECT 1;\n-- migrate:down\n" }
        }
        let problems = error.problems(paths: names.map { "m/" + $0 }, folder: "m")
        #expect(problems.map(\.path) == ["m"])
        #expect(problems[0].message.contains("more than one layout: \(found)"))
        #expect(problems[0].message.contains("pass --format"))
    }

    /// Regression: files named like dbmate migrations without `-- migrate:up` were read as a
    /// Flyway folder and ignored, so nothing ran.
    @Test func dbmateNamedFilesWithoutTheDirectiveAreErrorsWhenNothingElseIsAMigration() throws {
        let error = try #require(throws: LayoutDetectionError.self) {
            try MigrationLayout.detect(fileNames: ["20240101000000_a.sql", "notes.sql", "20240102000000_b.sql"]) { _ in "CREATE TABLE a (id INT);" }
        }
        let problems = error.problems(paths: ["m/20240101000000_a.sql", "m/notes.sql", "m/20240102000000_b.sql"], folder: "m")
        #expect(problems.map(\.path) == ["m/20240101000000_a.sql", "m/20240102000000_b.sql"])
        #expect(problems[0].message.contains("no `-- migrate:up` line"))
    }

    @Test func dbmateNamesAndSections() throws {
        #expect(DbmateFile.version(of: "001_test_migration.sql") == "001")
        #expect(DbmateFile.version(of: "missing_version.sql") == nil)
        #expect(DbmateFile.version(of: "003_not_sql.txt") == nil)
        #expect(DbmateFile.description(of: "20151129054053_test_migration.sql") == "test migration")
        let sections = try DbmateFile.sections(of: "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n")
        #expect(sections.count == 1)
        #expect(sections[0].up.transaction == false)
        #expect(sections[0].down.transaction == true)
        #expect(sections[0].down.line == 3)
    }

    @Test(arguments: [
        ("SELECT 1;\n-- migrate:up\nSELECT 2;\n-- migrate:down\nSELECT 3;\n", 1),
        ("-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n", 1),
        ("-- migrate:up\nSELECT 1;\n", 1),
        ("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n-- migrate:down\nSELECT 3;\n", 5),
        ("SELECT 1;\n", 1),
    ])
    func dbmateErrorsNameTheirLine(input: String, line: Int) {
        #expect(throws: DbmateFile.ParseError.self) { try DbmateFile.sections(of: input) }
        do {
            _ = try DbmateFile.sections(of: input)
        } catch {
            #expect(error.line == line)
        }
    }
}

/// golang-migrate's and dbmate's own test expectations.
@Suite(.enabled(if: ConformanceFixtures.available, "the conformance fixtures are not present"))
struct LayoutConformanceTests {
    let fixtures = ConformanceFixtures.shared!

    @Test func golangMigrateNameCases() {
        var checked = 0
        for record in fixtures.records("nameCases") {
            guard let name = record["name"] as? String, let valid = record["valid"] as? Bool else { continue }
            let parsed = GolangMigrateFileName.parse(name)
            if name.hasSuffix(".sql") || !valid {
                #expect((parsed != nil) == (valid && name.hasSuffix(".sql")), "\(name)")
            }
            if let parsed, let version = record["version"] as? Int {
                #expect(parsed.version == MigrationVersion(String(version)))
                #expect(parsed.identifier == record["identifier"] as? String)
                #expect(parsed.direction.rawValue == record["direction"] as? String)
            }
            checked += 1
        }
        #expect(checked >= 6)
    }

    @Test func dbmateSectionCases() {
        var checked = 0
        for record in fixtures.records("dbmateSectionCases") {
            let input = record["input"] as! String
            if record["error"] as? Bool == true {
                #expect(throws: DbmateFile.ParseError.self, "\(record["id"]!)") { try DbmateFile.sections(of: input) }
            } else if let expected = record["sections"] as? [[String: Any]] {
                guard let sections = try? DbmateFile.sections(of: input) else {
                    Issue.record("\(record["id"]!) did not parse")
                    continue
                }
                #expect(sections.count == expected.count, "\(record["id"]!)")
                for (section, want) in zip(sections, expected) {
                    #expect(section.up.text == want["up"] as? String, "\(record["id"]!)")
                    #expect(section.down.text == want["down"] as? String, "\(record["id"]!)")
                    #expect(section.up.transaction == want["upTransaction"] as? Bool, "\(record["id"]!)")
                    #expect(section.down.transaction == want["downTransaction"] as? Bool, "\(record["id"]!)")
                }
            }
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test func dbmateNameCases() {
        let cases = (fixtures.document["dbmateNameCases"] as? [String: Any])?["cases"] as? [[String: Any]] ?? []
        for record in cases where record["note"] == nil {
            let name = ((record["name"] as! String) as NSString).lastPathComponent
            #expect(DbmateFile.version(of: name) == record["version"] as? String, "\(name)")
        }
        #expect(!cases.isEmpty)
    }

    @Test func golangMigrateFoldersReadAsTheirLayout() throws {
        let catalog = try LocationReader.read(locations: [fixtures.path("golang-migrate/database/postgres/examples/migrations")])
        #expect(catalog.versioned.count == 9)
        #expect(catalog.undos.count == 5)
        #expect(catalog.versioned.first?.description == "create users table")
        #expect(catalog.undo(for: MigrationVersion("1085649617")!)?.script == "1085649617_create_users_table.down.sql")
    }
}

@Suite struct UndoPlannerTests {
    let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3")

    private func plan(_ catalog: Catalog, _ request: UndoRequest) throws -> [String] {
        let history = [Build.applied(v1, rank: 1), Build.applied(v3, rank: 2), Build.applied(v2, rank: 3)]
        return try UndoPlanner.plan(catalog: catalog, history: history, request: request).map { "\($0.migration.kind):\($0.migration.version!)" }
    }

    @Test func newestAppliedFirst() throws {
        let catalog = Build.catalog(v1, v2, v3, Build.undo("1"), Build.undo("2"), Build.undo("3"))
        #expect(try plan(catalog, .count(1)) == ["undo:2"])
        #expect(try plan(catalog, .count(2)) == ["undo:2", "undo:3"])
        #expect(try plan(catalog, .target(MigrationVersion("1")!)) == ["undo:2", "undo:3"])
        #expect(try plan(catalog, .count(9)) == ["undo:2", "undo:3", "undo:1"])
    }

    @Test func refusesNamingEveryStepWithoutADownScript() throws {
        let catalog = Build.catalog(v1, v2, v3, Build.undo("2"))
        let error = try #require(throws: UndoRefused.self) { try plan(catalog, .count(3)) }
        #expect(error.lacking.map(\.version!.text) == ["3", "1"])
        #expect(error.description.contains("version 3 (V3__step 3.sql), version 1 (V1__step 1.sql) have no down script"))
        #expect(try plan(catalog, .count(1)) == ["undo:2"])
    }
}
