import Foundation
import StrataTestSupport
import Testing

/// A Liquibase changelog through the built binary: `--changelog` and `changelog` in strata.toml
/// switch migrate, info, status, validate, undo, --dry-run and `strata sql` to its changesets.
@Suite struct ChangelogCommandLineTests {
    let project = TemporaryFolder()

    init() {
        project.write("db/changelog.yaml", """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: ann
                  changes:
                    - createTable:
                        tableName: person
                        columns:
                          - column: { name: id, type: INT, constraints: { primaryKey: true } }
                          - column: { name: name, type: VARCHAR(50) }
              - changeSet:
                  id: 2
                  author: ann
                  context: test
                  changes:
                    - insert:
                        tableName: person
                        columns:
                          - column: { name: id, valueNumeric: 1 }
                          - column: { name: name, value: ann }
                  rollback:
                    - delete: { tableName: person }
              - changeSet:
                  id: 3
                  author: ann
                  labels: reports
                  changes:
                    - createView: { viewName: people, selectQuery: SELECT name FROM person }
              - changeSet:
                  id: 4
                  author: bob
                  changes:
                    - customChange: { class: com.example.Backfill }
            """)
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func sqlite(_ sql: String) throws -> String {
        try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "strata.db", sql], in: project.path).stdout
    }

    @Test func migrateInfoStatusValidateAndUndoWorkOnTheChangelog() throws {
        let refused = try strata("migrate", "--changelog", "db/changelog.yaml")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("changeset db/changelog.yaml::4::bob holds a customChange (com.example.Backfill)"))
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'person'") == "0\n")

        let sql = try strata("sql", "--dialect", "postgres", "--changelog", "db/changelog.yaml", "--contexts", "prod", "--skip-custom-changes")
        #expect(sql.status == 0)
        #expect(sql.stdout.contains("CREATE TABLE databasechangelog (") && sql.stdout.contains("-- Changeset db/changelog.yaml::3::ann"))
        #expect(!sql.stdout.contains("-- Changeset db/changelog.yaml::2::ann"))

        project.write("strata.toml", """
            changelog = "db/changelog.yaml"
            contexts = ["prod"]
            labels = "!reports"
            skip_custom_changes = true
            """)
        let dryRun = try strata("migrate", "--dry-run")
        #expect(dryRun.status == 0 && dryRun.stdout.contains("CREATE TABLE person"))
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'person'") == "0\n")

        let migrated = try strata("migrate")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("EXECUTED db/changelog.yaml::1::ann") && migrated.stdout.contains("MARK_RAN db/changelog.yaml::4::bob"))
        #expect(try sqlite("SELECT ID, EXECTYPE FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED") == "1|EXECUTED\n4|MARK_RAN\n")

        let status = try strata("status", "--contexts", "test", "--labels", "", "--exit-code")
        #expect(status.status == 3)
        #expect(status.stdout.contains("2 pending: db/changelog.yaml::2::ann, db/changelog.yaml::3::ann"))

        #expect(try strata("migrate", "--contexts", "test", "--labels", "").status == 0)
        let info = try strata("info")
        #expect(info.stdout.contains("db/changelog.yaml::2::ann  EXECUTED"))

        project.write("db/changelog.yaml", try String(contentsOfFile: project.file("db/changelog.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "VARCHAR(50)", with: "VARCHAR(60)"))
        let invalid = try strata("validate")
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("db/changelog.yaml:3: changeset db/changelog.yaml::1::ann was changed after it ran"), "\(invalid.stderr)")
        project.write("db/changelog.yaml", try String(contentsOfFile: project.file("db/changelog.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "VARCHAR(60)", with: "VARCHAR(50)"))

        let preview = try strata("undo", "--count", "2", "--dry-run")
        #expect(preview.stdout.contains("DROP VIEW people"))
        let undone = try strata("undo", "--count", "2")
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try sqlite("SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED") == "1\n4\n")
        #expect(try sqlite("SELECT count(*) FROM person") == "0\n")
    }
}
