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

    /// README (Flyway): "`strata info` without that option says it found Flyway's table;
    /// `strata adopt` says to use the option", and with it the table is read in place.
    @Test func flywaysTableIsFoundAndReadInPlaceNotAdopted() throws {
        project.write("flyway/V1__one.sql", "CREATE TABLE one (id INT);\n")
        _ = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "flyway.db", """
            CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL,
              type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,
              installed_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), execution_time INT NOT NULL, success BOOLEAN NOT NULL);
            """], in: project.path)
        let advice = "Flyway's history table flyway_schema_history is there: Strata reads and continues it in place with --table flyway_schema_history"
        let info = try strata("info", "--url", "sqlite:flyway.db", "--locations", "flyway")
        #expect(info.status == 0)
        #expect(info.stdout.contains("Found Flyway's history table flyway_schema_history.\n" + advice), "\(info.stdout)")
        let adopt = try strata("adopt", "--url", "sqlite:flyway.db", "--locations", "flyway")
        #expect(adopt.status == 1 && adopt.stderr.contains(advice), "\(adopt.stdout)\(adopt.stderr)")
        let inPlace = try strata("migrate", "--url", "sqlite:flyway.db", "--locations", "flyway", "--table", "flyway_schema_history")
        #expect(inPlace.status == 0, "\(inPlace.stderr)")
        let rows = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "flyway.db", "SELECT version, type, script, success FROM flyway_schema_history"], in: project.path)
        #expect(rows.stdout == "1|SQL|V1__one.sql|1\n", "\(rows.stdout)")
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
