import StrataTestSupport
import Foundation
import Testing

/// `strata info` and `strata adopt` on databases another tool managed, and the `history`
/// setting from its flag, variable and `strata.toml`, through the built binary.
@Suite struct AdoptCommandLineTests {
    let project = TemporaryFolder()

    init() throws {
        project.write("migrations/1_one.up.sql", "CREATE TABLE one (id INT);\n")
        project.write("migrations/2_two.up.sql", "CREATE TABLE two (id INT);\n")
        project.write("migrations/3_three.up.sql", "CREATE TABLE three (id INT);\n")
        try sqlite("CREATE TABLE schema_migrations (version uint64,dirty bool); CREATE TABLE one (id INT); CREATE TABLE two (id INT); INSERT INTO schema_migrations VALUES (2, 0);")
    }

    private func strata(_ arguments: String..., environment: [String: String] = [:]) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path, environment: environment)
    }

    @discardableResult
    private func sqlite(_ sql: String) throws -> String {
        try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "strata.db", sql], in: project.path).stdout
    }

    @Test func infoShowsWhatAdoptWouldRecordAndAdoptRecordsIt() throws {
        let info = try strata("info")
        #expect(info.status == 0)
        #expect(info.stdout.contains("Found golang-migrate's schema_migrations at version 2; `strata adopt` would record 2 rows"))
        #expect(info.stdout.contains("1_one.up.sql") && !info.stdout.contains("3_three.up.sql  \n"))
        let json = try JSONSerialization.jsonObject(with: Data(try strata("info", "--json").stdout.utf8)) as! [String: Any]
        let foreign = json["foreignHistory"] as! [String: Any]
        #expect(foreign["tool"] as? String == "golang-migrate" && (foreign["rows"] as! [Any]).count == 2)

        let dryRun = try strata("adopt", "--dry-run")
        #expect(dryRun.status == 0 && dryRun.stdout.contains("INSERT INTO \"strata_schema_history\""))
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'strata_schema_history'") == "0\n")

        let adopted = try strata("adopt")
        #expect(adopted.status == 0 && adopted.stdout.contains("recorded 2 rows"))
        #expect(adopted.stdout.contains("history = \"golang-migrate\""))
        #expect(try sqlite("SELECT group_concat(version) FROM strata_schema_history") == "1,2\n")
        let migrated = try strata("migrate", "--history", "golang-migrate")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(try sqlite("SELECT version || ':' || dirty FROM schema_migrations") == "3:0\n")
    }

    @Test func aDirtyDatabaseIsRefusedByMigrateAndExplainedByInfo() throws {
        try sqlite("UPDATE schema_migrations SET dirty = 1")
        let info = try strata("info")
        #expect(info.status == 0 && info.stdout.contains("at version 2 (dirty)") && info.stdout.contains("migrate force 2"))
        let migrated = try strata("migrate", environment: ["STRATA_HISTORY": "golang-migrate"])
        #expect(migrated.status == 1 && migrated.stderr.contains("version 2 is dirty"))
        #expect(try strata("adopt").status == 1)
    }

    @Test func theSettingComesFromStrataTomlAndIsChecked() throws {
        project.write("strata.toml", "history = \"dbmate\"\n")
        let wrong = try strata("migrate")
        #expect(wrong.status == 1 && wrong.stderr.contains("not dbmate's"))
        project.write("strata.toml", "history = \"liquibase\"\n")
        #expect(try strata("migrate").status == 2)
        project.write("strata.toml", "history = \"golang-migrate\"\n")
        #expect(try strata("migrate").status == 0)
        #expect(try strata("config").stdout.contains("golang-migrate"))
    }
}
