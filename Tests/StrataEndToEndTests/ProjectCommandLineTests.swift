import Foundation
import StrataTestSupport
import Testing

/// `init`, `new`, `validate` and option parsing, through the built binary.
@Suite struct ProjectCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: project.file(folder))) ?? []).sorted()
    }

    @Test func initAndNewFollowTheConfiguredLocationAndLayout() throws {
        project.write("strata.toml", "locations = [\"db/migrations\"]\nformat = \"golang-migrate\"\n")
        #expect(try strata("init").status == 0)
        #expect(files("db/migrations") == ["000001_create_example_table.down.sql", "000001_create_example_table.up.sql"])
        let created = try strata("new", "add users")
        #expect(created.stdout == "db/migrations/000002_add_users.up.sql\ndb/migrations/000002_add_users.down.sql\n")
        #expect(try strata("migrate").status == 0)
        let undone = try strata("undo", "--target", "0")
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.file("migrations")), "nothing is written to the default folder")
    }

    @Test func newFollowsTheLayoutItsFolderAlreadyHas() throws {
        project.write("migrations/20240101000000_first.sql", "-- migrate:up\nCREATE TABLE a (id INT);\n-- migrate:down\nDROP TABLE a;\n")
        let created = try strata("new", "second step")
        #expect(created.status == 0, "\(created.stderr)")
        let name = try #require(files("migrations").last)
        #expect(name.hasSuffix("_second_step.sql") && name.count == "20240101000000_second_step.sql".count)
        #expect(try String(contentsOfFile: project.file("migrations/" + name), encoding: .utf8).hasPrefix("-- migrate:up\n"))
        let info = try strata("info")
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("second step"), "the folder still reads as dbmate")
        #expect(try strata("new", "views", "--repeatable").status == 2)
    }

    @Test(arguments: [
        ["migrate", "--target", "soon"], ["migrate", "--target", "+0"], ["undo", "--count", "0"], ["undo", "--target", "-x"],
        ["undo", "--count", "1", "--target", "2"], ["baseline", "--version", "1.x"], ["sql", "--dialect", "sqlite", "--from", "v2"],
        ["sql", "--dialect", "sqlite", "--undo", "--from", "2"],
    ])
    func badOptionValuesAreUsageErrorsNamingTheOption(_ arguments: [String]) throws {
        let result = try StrataBinary.run(arguments, in: project.path)
        #expect(result.status == 2)
        let option = arguments.dropFirst().first { $0.hasPrefix("--") && !["--dialect"].contains($0) } ?? ""
        #expect(result.stderr.contains(option), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: strata \(arguments[0])"))
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")))
    }

    @Test func validateRunsTheValidateCallbacks() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/afterValidate.sql", "CREATE TABLE IF NOT EXISTS checked (at TEXT);\nINSERT INTO checked VALUES ('ok');\n")
        project.write("migrations/afterValidateError.sql", "CREATE TABLE IF NOT EXISTS checked (at TEXT);\nINSERT INTO checked VALUES ('error');\n")
        #expect(try strata("migrate").status == 0)
        #expect(try strata("validate").status == 0)
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id BIGINT);\n")
        #expect(try strata("validate").status == 1)
        let rows = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "strata.db", "SELECT at FROM checked"], in: project.path)
        try #require(rows.status == 0, "the sqlite3 shell is needed here: \(rows.stderr)")
        #expect(rows.stdout == "ok\nerror\n")
    }
}
