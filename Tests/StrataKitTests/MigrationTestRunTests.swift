import Foundation
import Strata
import StrataKit
import StrataTestSupport
import Testing

/// Runs `MigrationTestRun` on a project and checks a planted fault is reported as expected.
func expectReported(_ fault: TestedProject.Fault, in project: TestedProject, url: String) throws {
    let expected = try project.plant(fault)
    let configuration = StrataConfiguration(url: url, locations: [project.location])
    let report = try MigrationTestRun(configuration: configuration, options: MigrationTestOptions(requireUndo: true)).run()
    #expect(!report.passed)
    let failure = report.failures.first { $0.file == expected.file }
    #expect(failure?.step.rawValue == expected.step, "\(report.failures)")
    let shown = failure.map { ([$0.message] + $0.differences.map(\.description)).joined(separator: "\n") } ?? ""
    #expect(shown.contains(expected.detail), "\(shown)")
    #expect(report.failures.allSatisfy { $0.file == expected.file }, "only the planted fault fails: \(report.failures)")
}

@Suite struct MigrationTestRunSQLiteTests {
    private func run(_ project: TestedProject, _ options: MigrationTestOptions = MigrationTestOptions()) throws -> MigrationTestReport {
        try MigrationTestRun(configuration: StrataConfiguration(url: "sqlite:" + project.folder.file("unused.db"), locations: [project.location]),
                             options: options).run()
    }

    @Test func theBookshopPasses() throws {
        let project = try TestedProject.bookshop()
        let report = try run(project, MigrationTestOptions(requireUndo: true))
        #expect(report.passed, "\(report.failures)")
        #expect(report.cases.filter { $0.kind == .migration }.count == 12)
        #expect(report.cases.map(\.kind).suffix(2) == [.repeatable, .stairway])
        #expect(report.warnings.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: project.folder.file("unused.db")), "the configured database is not touched")
    }

    @Test(arguments: TestedProject.Fault.allCases)
    func aPlantedFaultIsNamed(_ fault: TestedProject.Fault) throws {
        let project = try TestedProject.bookshop()
        try expectReported(fault, in: project, url: "sqlite:" + project.folder.file("unused.db"))
    }

    @Test func aMissingDownIsAWarningUnlessRequired() throws {
        let project = try TestedProject.bookshop()
        try project.plant(.missingDown)
        let report = try run(project)
        #expect(report.passed)
        #expect(report.warnings == ["\(project.path("V3__create_customers.sql")): version 3 has no down script, so `strata undo` cannot take it back"])
    }

    @Test func seedsRunBeforeTheMigrationsAndAfterTheirVersion() throws {
        let project = try TestedProject.bookshop()
        project.write("S7__more_books.sql", "INSERT INTO books (id, author_id, title, isbn, price_cents) VALUES (6, 2, 'Mort', '978-0062225719', 899);\n")
        project.write("T9__every_book_has_a_language.sql", "SELECT count(*) = 6 FROM books WHERE language = 'en';\nSELECT title FROM books WHERE language IS NULL;\n")
        let seed = project.folder.write("before.sql", "CREATE TABLE legacy (id INTEGER);\n")
        let report = try run(project, MigrationTestOptions(seedFiles: [seed]))
        #expect(report.passed, "\(report.failures)")
        #expect(report.cases.first?.name == seed)
        let names = report.cases.map(\.name)
        #expect(names.firstIndex(of: project.path("S7__more_books.sql"))! == names.firstIndex(of: project.path("V7__seed_authors_and_books.sql"))! + 1)
    }

    @Test func aCheckForAVersionThatDoesNotExistFails() throws {
        let project = try TestedProject.bookshop()
        project.write("T99__never.sql", "SELECT 1;\n")
        let failure = try run(project).failures.first
        #expect(failure?.file == project.path("T99__never.sql"))
        #expect(failure?.message.contains("no versioned migration has version 99") == true)
    }

    @Test func aFailedMigrationStopsTheRunAndSkipsTheRest() throws {
        let project = try TestedProject.bookshop()
        project.write("V11__create_reviews.sql", "CREATE TABLE reviews (id INTEGER REFERENCES nowhere_at_all (id), oops);\nSELECT * FROM missing_table;\n")
        let report = try run(project)
        #expect(report.failures.map(\.step) == [.apply])
        #expect(report.cases.last?.skipped?.contains("V11__create_reviews.sql") == true)
        #expect(report.cases.filter { $0.skipped != nil }.count == 3, "V12, the repeatable and the stairway")
    }

    @Test func theStairwayComparesWithAOneShotMigrate() throws {
        let project = try TestedProject.bookshop()
        // Seeds after a version are data for the checks; one that builds schema is found out.
        project.write("S7__builds_a_table.sql", "CREATE TABLE made_by_a_seed (id INTEGER);\n")
        let report = try run(project)
        let failure = try #require(report.failures.first)
        #expect(failure.step == .stairway)
        #expect(failure.differences.map(\.object) == ["table made_by_a_seed"])
        #expect(failure.differences.first?.expected == "none")
    }
}

@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct MigrationTestRunPostgresTests {
    let server = TestPostgres.shared!

    @Test func theShopPassesWithoutTouchingTheDatabase() throws {
        let database = try server.createDatabase()
        let project = TestedProject.postgresShop()
        let report = try MigrationTestRun(configuration: StrataConfiguration(url: server.url(database: database), locations: [project.location]),
                                          options: MigrationTestOptions(requireUndo: true)).run()
        #expect(report.passed, "\(report.failures)")
        #expect(report.cases.count == 8)
        let tables = try server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: database)
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the configured database is not touched")
    }

    @Test(arguments: TestedProject.Fault.allCases)
    func aPlantedFaultIsNamed(_ fault: TestedProject.Fault) throws {
        try expectReported(fault, in: TestedProject.postgresShop(), url: server.url(database: try server.createDatabase()))
    }
}
