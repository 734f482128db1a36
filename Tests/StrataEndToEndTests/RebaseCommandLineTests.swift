import Foundation
import StrataTestSupport
import Testing

/// `strata rebase` through the binary, on a git repository where a branch and main each added
/// a version 3.
@Suite struct RebaseCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func git(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.runTool("/usr/bin/env", ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments, in: project.path)
    }

    private func commitAll(_ message: String) throws {
        #expect(try strata("hash").status == 0)
        #expect(try git("add", "-A").status == 0 && git("commit", "-qm", message).status == 0)
    }

    private func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: project.file(path))
    }

    /// V1 and V2 on main; the branch `feature` adds V3__a with its undo, and it is checked out;
    /// `applyFeature` migrates the database before main adds V3__b.
    private func branchesWithTwoVersionThrees(applyFeature: Bool = false) throws {
        try #require(try git("init", "-q", "-b", "main").status == 0, "git is needed for this test")
        project.write(".gitignore", "strata.db\n")
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V2__two.sql", "CREATE TABLE two (id INT);\n")
        try commitAll("V1, V2")
        #expect(try git("checkout", "-qb", "feature").status == 0)
        project.write("migrations/V3__a.sql", "CREATE TABLE a (id INT);\n")
        project.write("migrations/U3__a.sql", "DROP TABLE a;\n")
        try commitAll("V3__a")
        if applyFeature { #expect(try strata("migrate").status == 0) }
        #expect(try git("checkout", "-q", "main").status == 0)
        project.write("migrations/V3__b.sql", "CREATE TABLE b (id INT);\n")
        try commitAll("V3__b")
        #expect(try git("checkout", "-q", "feature").status == 0)
        #expect(try git("merge", "-q", "main").status != 0, "both branches changed strata.sum")
        #expect(exists("migrations/V3__a.sql") && exists("migrations/V3__b.sql"))
    }

    @Test func renumbersTheBranchsMigrationAboveMainAndMigrateAppliesAll() throws {
        try branchesWithTwoVersionThrees()
        let renames = "migrations/V3__a.sql -> migrations/V4__a.sql\nmigrations/U3__a.sql -> migrations/U4__a.sql\n"
        let dryRun = try strata("rebase", "--onto", "main", "--dry-run")
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == renames + "Dry run: nothing was renamed.\n")
        #expect(exists("migrations/V3__a.sql") && !exists("migrations/V4__a.sql"))

        let rebased = try strata("rebase", "--onto", "main")
        #expect(rebased.status == 0, "\(rebased.stderr)")
        #expect(rebased.stdout == renames + "rewrote migrations/strata.sum\n")
        #expect(!exists("migrations/V3__a.sql") && exists("migrations/V4__a.sql") && exists("migrations/U4__a.sql"))
        let staged = try git("diff", "--cached", "--name-status", "--", "migrations/V4__a.sql", "migrations/U4__a.sql").stdout
        #expect(staged.contains("V4__a.sql") && staged.contains("U4__a.sql"), "renamed with git mv: \(staged)")
        #expect(try git("commit", "-qm", "merge main").status == 0, "strata.sum is resolved and staged")

        let migrated = try strata("migrate")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let history = try strata("history", "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { "\($0["version"] ?? "") \($0["script"] ?? "")" }
                == ["1 V1__one.sql", "2 V2__two.sql", "3 V3__b.sql", "4 V4__a.sql"])
        #expect(try strata("undo").status == 0, "U4__a reverts V4__a")

        let again = try strata("rebase", "--onto", "main")
        #expect(again.stdout == "Nothing to renumber: every migration not on main is above its highest version (3).\n")
    }

    @Test func theMainBranchIsOriginMainIfItExistsElseMain() throws {
        try branchesWithTwoVersionThrees()
        let fromMain = try strata("rebase", "--dry-run")
        #expect(fromMain.stdout.hasPrefix("migrations/V3__a.sql -> migrations/V4__a.sql\n"), "\(fromMain.stdout)\(fromMain.stderr)")
        // origin/main still at V1, V2: the branch's V3 is above it, whatever the local main holds.
        let beforeV3b = try git("rev-parse", "main~1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try git("update-ref", "refs/remotes/origin/main", beforeV3b).status == 0)
        let fromOrigin = try strata("rebase", "--dry-run")
        #expect(fromOrigin.stdout.hasPrefix("Nothing to renumber: every migration not on origin/main is above its highest version (2)."), "\(fromOrigin.stdout)\(fromOrigin.stderr)")
    }

    @Test func refusesAMigrationTheConfiguredDatabaseHasApplied() throws {
        try branchesWithTwoVersionThrees(applyFeature: true)
        let refused = try strata("rebase", "--onto", "main")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Version 3 (migrations/V3__a.sql) is in the history table strata_schema_history of "), "\(refused.stderr)")
        #expect(refused.stderr.contains("strata.db: it has been applied there"))
        #expect(refused.stdout.isEmpty)
        #expect(exists("migrations/V3__a.sql") && exists("migrations/U3__a.sql") && !exists("migrations/V4__a.sql"))
    }

    @Test func versionsGivenByHandNeedNoGit() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/V1_5__late.sql", "CREATE TABLE late (id INT);\n")
        let rebased = try strata("rebase", "--onto-versions", "1,2")
        #expect(rebased.status == 0, "\(rebased.stderr)")
        #expect(rebased.stdout == "migrations/V1_5__late.sql -> migrations/V3__late.sql\n")
        #expect(exists("migrations/V3__late.sql"))
        #expect(try strata("rebase", "--onto-versions", "1,x").status == 2)
    }
}
