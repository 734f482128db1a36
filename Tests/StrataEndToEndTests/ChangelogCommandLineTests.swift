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
        #expect(refused.status == 1, "a changelog Strata cannot run is a migration file that is wrong, not a usage error")
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
        let notRun = try strata("migrate")
        #expect(notRun.status == 1 && notRun.stderr.hasPrefix("error: Validation failed, nothing ran: "), "\(notRun.stderr)")
        project.write("db/changelog.yaml", try String(contentsOfFile: project.file("db/changelog.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "VARCHAR(60)", with: "VARCHAR(50)"))

        // Rollback takes the run's contexts and labels as Liquibase's does: with strata.toml's,
        // changesets 2 and 3 are left out and the newest two it may undo are 4 and 1.
        let filtered = try strata("undo", "--count", "2", "--dry-run")
        #expect(filtered.stdout.hasPrefix("-- Rolling back changeset db/changelog.yaml::4::bob"), "\(filtered.stdout)")
        #expect(filtered.stdout.contains("DROP TABLE person") && !filtered.stdout.contains("DROP VIEW people"))
        let preview = try strata("undo", "--count", "2", "--dry-run", "--contexts", "test", "--labels", "")
        #expect(preview.stdout.contains("DROP VIEW people"))
        let undone = try strata("undo", "--count", "2", "--contexts", "test", "--labels", "")
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try sqlite("SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED") == "1\n4\n")
        #expect(try sqlite("SELECT count(*) FROM person") == "0\n")
    }

    /// Exit codes as for folders: a failed changeset, a changelog that does not parse and a
    /// rollback that cannot be made are failures (1), each said once.
    @Test func failuresExitOneAndSayWhatToDoOnce() throws {
        project.write("db/broken.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="1" author="ann"><createTable tableName="t"><column name="id" type="INT"/></createTable></changeSet>
              <changeSet id="2" author="ann"><insert tableName="t"><column name="id" valueNumeric="1"/></insert></changeSet>
              <changeSet id="3" author="ann"><sql>INSERT INTO nowhere VALUES (1)</sql></changeSet>
            </databaseChangeLog>
            """)
        let failed = try strata("migrate", "--changelog", "db/broken.xml")
        #expect(failed.status == 1 && failed.stderr.hasPrefix("error: ") && failed.stderr.contains("db/broken.xml:4: changeset db/broken.xml::3::ann failed at"),
                "\(failed.stderr)")
        let noRollback = try strata("undo", "--count", "1", "--changelog", "db/broken.xml")
        #expect(noRollback.status == 1, "\(noRollback.stderr)")
        #expect(noRollback.stderr == "error: \(project.file("db/broken.xml")):3: changeset db/broken.xml::2::ann cannot be rolled back: "
            + "Liquibase derives no rollback for insert; add a <rollback> block to it. Nothing was rolled back.\n", "\(noRollback.stderr)")
        project.write("db/unreadable.yaml", "databaseChangeLog:\n  - changeSet: [\n")
        let unreadable = try strata("migrate", "--changelog", "db/unreadable.yaml")
        #expect(unreadable.status == 1 && unreadable.stderr.hasPrefix("error: \(project.file("db/unreadable.yaml")):"), "\(unreadable.stderr)")
    }

    @Test func tagSyncMarkNextClearChecksumsAndTargetsWorkOnTheChangelog() throws {
        project.write("strata.toml", "changelog = \"db/changelog.yaml\"\nskip_custom_changes = true\n")
        // Tagging an empty table records Liquibase's own empty changeset to carry the tag.
        let first = try strata("tag", "start")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try sqlite("SELECT AUTHOR, FILENAME, EXECTYPE, DESCRIPTION, TAG FROM DATABASECHANGELOG")
            == "liquibase|liquibase-internal|EXECUTED|empty|start\n")

        let versionTarget = try strata("migrate", "--target", "3")
        #expect(versionTarget.status == 2)
        #expect(versionTarget.stderr.contains("--target 3 names a version, and a changelog's changesets have none"))
        #expect(try strata("migrate", "--target", "next").status == 0)
        #expect(try sqlite("SELECT ID FROM DATABASECHANGELOG WHERE AUTHOR <> 'liquibase'") == "1\n")

        let nextPreview = try strata("mark-next-changeset-ran", "--dry-run")
        #expect(nextPreview.stdout.contains("-- Changeset db/changelog.yaml::2::ann\nINSERT INTO DATABASECHANGELOG") && !nextPreview.stdout.contains("::3::ann"))
        let next = try strata("mark-next-changeset-ran")
        #expect(next.status == 0 && next.stdout.contains("Recorded 1 changeset as run, without running it."), "\(next.stderr)")
        #expect(try sqlite("SELECT ID, EXECTYPE FROM DATABASECHANGELOG WHERE ID = '2'") == "2|EXECUTED\n")
        #expect(try sqlite("SELECT count(*) FROM person") == "0\n")

        let preview = try strata("changelog-sync", "--dry-run")
        #expect(preview.stdout.contains("-- Changeset db/changelog.yaml::3::ann\nINSERT INTO DATABASECHANGELOG"), "\(preview.stdout)")
        #expect(!preview.stdout.contains("CREATE VIEW"))
        let synced = try strata("changelog-sync", "--labels", "!reports")
        #expect(synced.status == 0 && synced.stdout.contains("EXECUTED db/changelog.yaml::4::bob"), "\(synced.stderr)")
        #expect(try sqlite("SELECT ID, EXECTYPE FROM DATABASECHANGELOG WHERE ID IN ('3', '4')") == "4|EXECUTED\n")

        let tagged = try strata("tag", "v1", "--json")
        #expect(tagged.stdout.contains(#""changeSet" : "db/changelog.yaml::4::bob""#), "\(tagged.stdout)")
        let cleared = try strata("clear-checksums")
        #expect(cleared.stdout.contains("Cleared the checksums of 4 DATABASECHANGELOG rows"), "\(cleared.stdout)\(cleared.stderr)")
        #expect(try sqlite("SELECT count(*) FROM DATABASECHANGELOG WHERE MD5SUM IS NULL") == "4\n")
        // The next update stores the current checksums of the changesets it selects.
        #expect(try strata("migrate").status == 0)
        #expect(try sqlite("SELECT AUTHOR FROM DATABASECHANGELOG WHERE MD5SUM IS NULL") == "liquibase\n")
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'people'") == "1\n")

        let undone = try strata("undo", "--tag", "v1")
        #expect(undone.status == 0 && undone.stdout.contains("ROLLED BACK db/changelog.yaml::3::ann"), "\(undone.stderr)")
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'people'") == "0\n")
    }

    @Test func strataSQLUndoWritesTheWholeChangelogsRollbackNewestFirst() throws {
        let script = try strata("sql", "--dialect", "sqlite", "--undo", "--changelog", "db/changelog.yaml", "--skip-custom-changes")
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout.hasPrefix("""
            -- Rolling back changeset db/changelog.yaml::4::bob
            DELETE FROM DATABASECHANGELOG WHERE ID = '4' AND AUTHOR = 'bob' AND FILENAME = 'db/changelog.yaml';
            -- Rolling back changeset db/changelog.yaml::3::ann
            DROP VIEW people;
            """), "\(script.stdout)")
        #expect(script.stdout.contains("DELETE FROM person;\nDELETE FROM DATABASECHANGELOG WHERE ID = '2'"))
        #expect(script.stdout.hasSuffix("DROP TABLE person;\nDELETE FROM DATABASECHANGELOG WHERE ID = '1' AND AUTHOR = 'ann' AND FILENAME = 'db/changelog.yaml';\n\n"))
        let versions = try strata("sql", "--dialect", "sqlite", "--undo", "--to", "0", "--changelog", "db/changelog.yaml")
        #expect(versions.status == 2 && versions.stderr.contains("--from and --to take versions, which changesets have not"))
    }

    @Test func liquibaseOnlyCommandsNameTheFlagWithoutAChangelog() throws {
        for (arguments, instead) in [(["tag", "v1"], "`strata undo --target V` goes back to a version"),
                                     (["changelog-sync"], "`strata baseline --version V` records the versions up to V as applied"),
                                     (["mark-next-changeset-ran"], "`strata baseline --version V` records a version as applied"),
                                     (["clear-checksums"], "`strata repair` rewrites the stored checksums from the files")] {
            let refused = try StrataBinary.run(arguments, in: project.path)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains("error: strata \(arguments[0]) works on a Liquibase changelog's DATABASECHANGELOG: add "
                + "--changelog FILE (or set changelog in strata.toml); ") && refused.stderr.contains(instead), "\(refused.stderr)")
        }
        let migrate = try strata("migrate", "--tag", "v1")
        #expect(migrate.status == 2 && migrate.stderr.contains("--tag stops a Liquibase changelog's update at a tag: add --changelog FILE."))
    }

    @Test func folderOnlyCommandsAndFlagsRefuseAChangelog() throws {
        project.write("strata.toml", "changelog = \"db/changelog.yaml\"\n")
        for (arguments, instead) in [(["migrate", "--out-of-order"], "already runs every pending changeset"),
                                     (["migrate", "--contract"], "choose changesets with --contexts or --labels"),
                                     (["migrate", "--baseline-on-migrate"], "`strata changelog-sync` records the changesets as run"),
                                     (["repair"], "`strata clear-checksums` makes the next migrate store the current checksums"),
                                     (["baseline"], "`strata changelog-sync` (or `mark-next-changeset-ran`) records changesets as run"),
                                     (["history"], "`strata info` lists each changeset")] {
            let refused = try StrataBinary.run(arguments, in: project.path)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains("error: strata \(arguments.joined(separator: " ")) works on migration folders and "
                + "Strata's history table, not on a Liquibase changelog's DATABASECHANGELOG: ") && refused.stderr.contains(instead),
                "\(refused.stderr)")
        }
        // Refused before anything is created: no history table, no DATABASECHANGELOG.
        #expect(try sqlite("SELECT count(*) FROM sqlite_master") == "0\n")
        project.write("strata.toml", "")
        let flag = try strata("repair", "--changelog", "db/changelog.yaml")
        #expect(flag.status == 2 && flag.stderr.contains("strata repair works on migration folders"), "\(flag.stderr)")
    }
}
