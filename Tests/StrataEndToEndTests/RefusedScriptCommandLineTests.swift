import StrataTestSupport
import Foundation
import Testing

/// Migration files that would run differently from how they read are refused, naming the file,
/// before anything runs: the built `strata` binary on SQLite.
@Suite struct RefusedScriptCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    /// Nothing was applied: no database file, or one whose history is empty.
    private func expectNothingApplied() throws {
        guard FileManager.default.fileExists(atPath: project.file("strata.db")) else { return }
        let info = try strata("info", "--json")
        let json = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any]
        #expect((json["migrations"] as! [[String: Any]]).allSatisfy { $0["state"] as? String == "pending" })
    }

    /// Regression: V1 was applied, then the driver refused V2's COMMIT mid-run; the dry run and
    /// the offline script copied the COMMIT unchanged.
    @Test func commitInALaterMigrationStopsTheRunBeforeTheFirstOne() throws {
        project.write("migrations/V1__fine.sql", "CREATE TABLE fine (id INT);\n")
        project.write("migrations/V2__commits.sql", "CREATE TABLE a (id INT);\nCOMMIT;\n")
        let migrated = try strata("migrate")
        #expect(migrated.status == 1)
        #expect(migrated.stderr.contains("migrations/V2__commits.sql controls transactions itself (BEGIN, COMMIT or ROLLBACK at line 2)"))
        #expect(!migrated.stdout.contains("V1"))
        try expectNothingApplied()

        let preview = try strata("migrate", "--dry-run")
        #expect(preview.status == 1)
        #expect(preview.stderr.contains("migrations/V2__commits.sql controls transactions itself"))

        let offline = try strata("sql", "--dialect", "sqlite")
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("migrations/V2__commits.sql controls transactions itself"))
        #expect(offline.stdout.isEmpty)
    }

    /// Regression: SQLite stopped reading V2 at its NUL byte and skipped the rest.
    @Test func aNULByteIsRefusedNamingTheFileAndLine() throws {
        project.write("migrations/V1__fine.sql", "CREATE TABLE fine (id INT);\n")
        project.write("migrations/V2__nul.sql", bytes: Array("CREATE TABLE a (id INT);\n".utf8) + [0] + Array("CREATE TABLE b (id INT);\n".utf8))
        let result = try strata("migrate")
        #expect(result.status == 1)
        #expect(result.stderr.contains("migrations/V2__nul.sql: line 2 holds a NUL byte"))
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")))
    }

    /// Regression: the rest of V2 became a comment, and V2 was recorded as applied having run nothing.
    @Test func anUnterminatedCommentIsRefusedNamingTheFileAndLine() throws {
        project.write("migrations/V1__fine.sql", "CREATE TABLE fine (id INT);\n")
        project.write("migrations/V2__open.sql", "CREATE TABLE a (id INT);\n/* never closed\nCREATE TABLE b (id INT);\n")
        let result = try strata("migrate")
        #expect(result.status == 1)
        #expect(result.stderr.contains("migrations/V2__open.sql, line 2: unterminated block comment"))
        try expectNothingApplied()
        #expect(try strata("sql", "--dialect", "sqlite").status == 1)
    }

    /// Regression: a symbolic link named like a migration, pointing nowhere, was skipped.
    @Test func aDanglingSymlinkIsRefusedNamingIt() throws {
        project.write("migrations/V1__fine.sql", "CREATE TABLE fine (id INT);\n")
        try FileManager.default.createSymbolicLink(atPath: project.file("migrations/V2__x.sql"), withDestinationPath: "missing.sql")
        let result = try strata("migrate")
        #expect(result.status == 1)
        #expect(result.stderr.contains("migrations/V2__x.sql: it is a symbolic link to 'missing.sql', which does not exist"))
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")))
    }
}
