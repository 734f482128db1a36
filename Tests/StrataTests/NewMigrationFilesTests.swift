import Strata
import Testing

/// `strata new` names a file the way its folder's layout names them.
@Suite struct NewMigrationFilesTests {
    private func names(_ layout: MigrationLayout, highest: String?, existing: [String] = [], repeatable: Bool = false) throws -> [String] {
        try NewMigrationFiles.files(
            layout: layout, description: "add users", repeatable: repeatable, highestVersion: highest.flatMap(MigrationVersion.init),
            existingNames: existing, timestamp: "20261130120000"
        ).map(\.name)
    }

    @Test func flywayTakesTheNextWholeVersion() throws {
        #expect(try names(.flyway, highest: nil) == ["V1__add_users.sql"])
        #expect(try names(.flyway, highest: "1.9") == ["V2__add_users.sql"])
        #expect(try names(.flyway, highest: "3", repeatable: true) == ["R__add_users.sql"])
    }

    @Test func golangMigrateContinuesTheFoldersNumbering() throws {
        #expect(try names(.golangMigrate, highest: nil) == ["000001_add_users.up.sql", "000001_add_users.down.sql"])
        #expect(try names(.golangMigrate, highest: "7", existing: ["000007_x.up.sql", "000007_x.down.sql"])
                == ["000008_add_users.up.sql", "000008_add_users.down.sql"])
        #expect(try names(.golangMigrate, highest: "12", existing: ["12_x.up.sql"]) == ["13_add_users.up.sql", "13_add_users.down.sql"])
        #expect(try names(.golangMigrate, highest: "20240101000000", existing: ["20240101000000_x.up.sql"])
                == ["20261130120000_add_users.up.sql", "20261130120000_add_users.down.sql"])
        #expect(throws: ConfigurationError.self) { try names(.golangMigrate, highest: nil, repeatable: true) }
    }

    @Test func dbmateUsesATimestampAndBothSections() throws {
        let files = try NewMigrationFiles.files(
            layout: .dbmate, description: "add users", repeatable: false, highestVersion: nil, existingNames: [], timestamp: "20261130120000")
        #expect(files == [.init(name: "20261130120000_add_users.sql", contents: "-- migrate:up\n-- add users\n\n-- migrate:down\n-- Reverts: add users\n")])
        #expect(try names(.dbmate, highest: "20991231000000") == ["20991231000001_add_users.sql"])
    }

    @Test func anIrreversibleMigrationHasNoUndoFileOrADownFileSayingWhy() throws {
        func files(_ layout: MigrationLayout) throws -> [NewMigrationFiles.File] {
            try NewMigrationFiles.files(layout: layout, description: "drop x", repeatable: false, highestVersion: nil, existingNames: [],
                                        timestamp: "20261130120000", up: "ALTER TABLE t DROP COLUMN x;\n", irreversible: "it drops t.x")
        }
        #expect(try files(.flyway).map(\.name) == ["V1__drop_x.sql"])
        #expect(try files(.golangMigrate).last == .init(name: "000001_drop_x.down.sql", contents: "-- Cannot be undone by a script: it drops t.x.\n"))
        #expect(try files(.dbmate).first?.contents.hasSuffix("-- migrate:down\n-- Cannot be undone by a script: it drops t.x.\n") == true)
    }

    @Test func aDescriptionThatCannotBeAFileNameIsRefused() {
        #expect(throws: ConfigurationError.self) {
            try NewMigrationFiles.files(layout: .flyway, description: "a/b", repeatable: false, highestVersion: nil, existingNames: [], timestamp: "1")
        }
    }
}
