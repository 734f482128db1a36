import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import StrataTestSupport
import Testing

/// `strata test` as CI runs it: the exit code, the text naming the migration and the schema
/// difference, and the JUnit XML a CI system reads.
@Suite struct TestCommandLineTests {
    @Test func theBookshopPasses() throws {
        let project = try TestedProject.bookshop()
        let result = try StrataBinary.run(["test", "--locations", project.location, "--require-undo"], in: project.folder.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok    \(project.path("V8__add_books_language.sql"))"))
        #expect(result.stdout.hasSuffix("14 passed, 0 failed, 0 skipped.\n"))
        #expect(!FileManager.default.fileExists(atPath: project.folder.file("strata.db")), "the configured database is not created")
    }

    @Test(arguments: TestedProject.Fault.allCases)
    func aPlantedFaultFailsNamingTheMigrationAndTheDifference(_ fault: TestedProject.Fault) throws {
        let project = try TestedProject.bookshop()
        let expected = try project.plant(fault)
        let result = try StrataBinary.run(["test", "--locations", project.location, "--require-undo"], in: project.folder.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  \(expected.file)\n      \(expected.step): "), "\(result.stdout)")
        #expect(result.stdout.contains(expected.detail), "\(result.stdout)")
    }

    @Test func aMissingDownIsAWarningWithoutRequireUndo() throws {
        let project = try TestedProject.bookshop()
        try project.plant(.missingDown)
        let result = try StrataBinary.run(["test", "--locations", project.location], in: project.folder.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("warning: \(project.path("V3__create_customers.sql")): version 3 has no down script"))
    }

    @Test func junitXMLParsesWithOneTestcasePerMigrationAndCheck() throws {
        let project = try TestedProject.bookshop()
        try project.plant(.downLeavesIndex)
        try project.plant(.falseDataCheck)
        let report = project.folder.file("junit.xml")
        let result = try StrataBinary.run(["test", "--locations", project.location, "--junit", report], in: project.folder.path)
        #expect(result.status == 1)
        let collector = JUnitCollector()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: report)))
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.suiteCounts == ["tests": "15", "failures": "1", "skipped": "9"])
        #expect(collector.testcases.first == project.path("V1__create_authors.sql"))
        #expect(collector.testcases.contains(project.path("T9__books_have_a_language.sql")))
        #expect(collector.failures.first?.message.hasPrefix("undo: the down script \(project.path("U6__add_indexes.sql")) leaves a trace") == true)
        #expect(collector.failures.first?.text.contains("index idx_books_title on books: expected none") == true)
    }

    @Test func jsonReportsTheCases() throws {
        let project = try TestedProject.bookshop()
        try project.plant(.repeatableNotIdempotent)
        let result = try StrataBinary.run(["test", "--locations", project.location, "--json"], in: project.folder.path)
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        let failed = cases.filter { !(($0["failures"] as? [Any]) ?? []).isEmpty }
        #expect(failed.map { $0["name"] as? String } == [project.path("R__audit_log.sql")])
        #expect(failed.first?["kind"] as? String == "repeatable")
    }

    @Test func aMigrationThatCannotBeAppliedAgainAfterItsDownFailsTheReapplyStep() throws {
        let folder = TemporaryFolder()
        folder.write("migrations/V1__marks.sql", "CREATE TABLE marks (n INTEGER PRIMARY KEY);\n")
        folder.write("migrations/U1__marks.sql", "DROP TABLE marks;\n")
        // The down script drops the table but leaves the row, which the second apply inserts again.
        folder.write("migrations/V2__t.sql", "CREATE TABLE t (id INT);\nINSERT INTO marks VALUES (1);\n")
        folder.write("migrations/U2__t.sql", "DROP TABLE t;\n")
        let result = try StrataBinary.run(["test", "--locations", "migrations"], in: folder.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  migrations/V2__t.sql\n      reapply: applying it again after its down script fails"), "\(result.stdout)")
        #expect(result.stdout.contains("UNIQUE constraint failed: marks.n"))
        #expect(result.stdout.contains("skip  stairway"))
    }

    @Test func seedsRunFirstInTheOrderGivenAndJUnitGoesToStandardOutput() throws {
        let folder = TemporaryFolder()
        folder.write("migrations/V1__books.sql", "CREATE TABLE books (id INT);\n")
        folder.write("migrations/U1__books.sql", "DROP TABLE books;\n")
        folder.write("migrations/S__shelves.sql", "CREATE TABLE shelves (n INT);\nINSERT INTO shelves VALUES (1);\n")
        folder.write("seed1.sql", "CREATE TABLE seeded (n INT);\n")
        folder.write("seed2.sql", "INSERT INTO seeded VALUES (1);\n")
        folder.write("migrations/T1__seeded.sql", "SELECT count(*) = 1 FROM seeded;\nSELECT count(*) = 1 FROM shelves;\n")
        let result = try StrataBinary.run(["test", "--locations", "migrations", "--seed", "seed1.sql", "--seed", "seed2.sql", "--junit", "-"], in: folder.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let collector = JUnitCollector()
        let parser = XMLParser(data: Data(result.stdout.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "the whole of standard output is the report: \(result.stdout)")
        #expect(collector.testcases.prefix(3) == ["migrations/S__shelves.sql", "seed1.sql", "seed2.sql"], "\(collector.testcases)")
        #expect(collector.testcases.suffix(3) == ["migrations/V1__books.sql", "migrations/T1__seeded.sql", "stairway"])

        let reversed = try StrataBinary.run(["test", "--locations", "migrations", "--seed", "seed2.sql", "--seed", "seed1.sql"], in: folder.path)
        #expect(reversed.status == 1)
        #expect(reversed.stdout.contains("FAIL  seed2.sql\n      seed: "), "\(reversed.stdout)")
    }
}

/// Collects what a JUnit report holds: the testsuite's counts, the testcases, the failures.
private final class JUnitCollector: NSObject, XMLParserDelegate {
    var suiteCounts: [String: String] = [:]
    var testcases: [String] = []
    var failures: [(message: String, text: String)] = []
    private var text: String?

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch element {
        case "testsuite": suiteCounts = attributes.filter { ["tests", "failures", "skipped"].contains($0.key) }
        case "testcase": testcases.append(attributes["name"] ?? "")
        case "failure":
            failures.append((attributes["message"] ?? "", ""))
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "failure", let text {
            failures[failures.count - 1].text = text
            self.text = nil
        }
    }
}

/// `strata test` on PostgreSQL: scratch databases on the configured server, dropped afterwards.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresTestCommandLineTests {
    let server = TestPostgres.shared!

    @Test func theShopPassesAndItsScratchDatabasesAreDropped() throws {
        let project = TestedProject.postgresShop()
        let url = server.url(database: try server.createDatabase())
        let started = try StrataBinary.start(["test", "--locations", project.location, "--url", url, "--require-undo"], in: project.folder.path)
        let pid = started.0.processIdentifier
        let result = StrataBinary.finish(started)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("8 passed, 0 failed, 0 skipped.\n"))
        let left = try server.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_scratch_\(pid)_%'")
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    /// The steps of Examples/ci/strata.yml that run strata, in its order and with its
    /// environment, against this server: the workflow minus GitHub's plumbing.
    @Test func theCIExampleWorkflowsStrataStepsPass() throws {
        let workflow = try String(contentsOfFile: StrataBinary.packageRoot + "/Examples/ci/strata.yml", encoding: .utf8)
        let commands = workflow.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("run: strata ") }.map { String($0.dropFirst("run: ".count)) }
        #expect(commands == ["strata test --require-undo --junit strata-test.xml", "strata migrate", "strata check"])
        #expect(workflow.contains("STRATA_URL: postgresql://") && workflow.contains("STRATA_LOCATIONS: migrations"))
        let project = TestedProject.postgresShop()
        let url = server.url(database: try server.createDatabase())
        let folder = URL(fileURLWithPath: StrataBinary.path).deletingLastPathComponent().path
        for command in commands {
            let result = try StrataBinary.runTool("/usr/bin/env", ["STRATA_URL=\(url)", "STRATA_LOCATIONS=migrations", "PATH=\(folder):/usr/bin:/bin", "sh", "-c", command],
                                                  in: project.folder.path)
            #expect(result.status == 0, "\(command): \(result.stdout)\(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: project.folder.file("strata-test.xml")))
    }

    @Test(arguments: TestedProject.Fault.allCases)
    func aPlantedFaultFailsNamingTheMigrationAndTheDifference(_ fault: TestedProject.Fault) throws {
        let project = TestedProject.postgresShop()
        let expected = try project.plant(fault)
        let devURL = server.url(database: "postgres")
        let started = try StrataBinary.start(
            ["test", "--locations", project.location, "--url", "postgresql://nobody@/absent?host=/nonexistent", "--dev-url", devURL, "--require-undo"],
            in: project.folder.path)
        let pid = started.0.processIdentifier
        let result = StrataBinary.finish(started)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL  \(expected.file)\n      \(expected.step): "), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(expected.detail), "\(result.stdout)")
        let left = try server.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_scratch_\(pid)_%'")
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "--dev-url's scratch databases are dropped too")
    }
}
