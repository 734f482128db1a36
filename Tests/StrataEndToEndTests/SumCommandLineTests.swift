import Foundation
import StrataTestSupport
import Testing

/// `strata.sum` through the binary, and the git merge it is there to make conflict.
@Suite struct SumCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func git(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.runTool("/usr/bin/env", ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments, in: project.path)
    }

    @Test func twoBranchesAddingMigrationsConflictInGit() throws {
        try #require(try git("init", "-q", "-b", "main").status == 0, "git is needed for this test")
        project.write("migrations/V1__books.sql", "CREATE TABLE books (id INT);\n")
        #expect(try strata("hash").stdout == "migrations/strata.sum\n")
        #expect(try git("add", "-A").status == 0 && git("commit", "-qm", "V1").status == 0)

        #expect(try git("checkout", "-qb", "authors").status == 0)
        #expect(try strata("new", "add authors").status == 0)
        #expect(try git("add", "-A").status == 0 && git("commit", "-qm", "authors").status == 0)

        #expect(try git("checkout", "-q", "main").status == 0)
        #expect(try git("checkout", "-qb", "isbn").status == 0)
        #expect(try strata("new", "add isbn").status == 0)
        #expect(try git("add", "-A").status == 0 && git("commit", "-qm", "isbn").status == 0)

        let merged = try git("merge", "-q", "authors")
        #expect(merged.status != 0)
        #expect((merged.stdout + merged.stderr).contains("CONFLICT (content): Merge conflict in migrations/strata.sum")
                || (merged.stdout + merged.stderr).contains("CONFLICT (add/add)"))
        let refused = try strata("migrate")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("strata.sum"))
        let info = try strata("info")
        #expect(!info.stdout.contains("success"), "nothing was applied")
    }

    @Test func eachRefusalNamesTheFileAndNoSumSkipsTheCheck() throws {
        project.write("migrations/V1__a.sql", "CREATE TABLE a (id INT);\n")
        project.write("migrations/V2__b.sql", "CREATE TABLE b (id INT);\n")
        #expect(try strata("hash").status == 0)
        #expect(try strata("migrate").status == 0)
        project.write("migrations/V1__a.sql", "CREATE TABLE a (id BIGINT);\n")
        project.write("migrations/V3__c.sql", "CREATE TABLE c (id INT);\n")
        try FileManager.default.removeItem(atPath: project.file("migrations/V2__b.sql"))
        for command in [["migrate"], ["validate"], ["check"], ["undo"]] {
            let result = try StrataBinary.run(command, in: project.path)
            #expect(result.status == 1, "\(command)")
            for name in ["V1__a.sql: changed since strata.sum", "V2__b.sql: is listed in strata.sum but is gone", "V3__c.sql: is not in strata.sum"] {
                #expect(result.stderr.contains(name), "\(command): \(result.stderr)")
            }
        }
        #expect(try strata("info").status == 0, "info shows the state as it is")
        #expect(try strata("validate", "--no-sum").stderr.contains("changed after it was applied"))
        project.write("strata.toml", "sum = false\n")
        let unchecked = try strata("validate")
        #expect(!unchecked.stderr.contains("strata.sum") && unchecked.stderr.contains("changed after it was applied"), "\(unchecked.stderr)")
    }
}
