import StrataTestSupport
import Testing
@testable import Strata
import StrataSQLite

/// History rows reuse the catalog's strings where they hold the same text, and keep their own
/// where the file says something else.
@Suite struct HistorySharingTests {
    private static func migration(_ description: String) -> Migration {
        Migration(kind: .versioned, version: "1", description: description, script: "V1__create_the_accounts_table.sql",
                  sql: "CREATE TABLE accounts (id INTEGER);")
    }

    /// Where a string's bytes are: the same address for two strings that share their storage.
    private static func address(_ text: String) -> UnsafeRawPointer? {
        var text = text
        return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func aRowSharesItsScriptAndDescriptionWithItsFile() throws {
        let folder = TemporaryFolder()
        let file = Self.migration("create the accounts table")
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("h.db")), catalog: try Catalog([file]))
        try migrator.migrate()
        let row = try #require(try migrator.historyEntries().first)
        #expect(row.script == file.script && row.description == file.description)
        #expect(Self.address(row.script) == Self.address(file.script))
        #expect(Self.address(row.description) == Self.address(file.description))
    }

    @Test func aRowKeepsItsOwnDescriptionWhenTheFileChangedIt() throws {
        let folder = TemporaryFolder()
        try Migrator(database: try SQLiteDatabase(path: folder.file("h.db")), catalog: try Catalog([Self.migration("create the accounts table")])).migrate()
        let renamed = Self.migration("create the table of accounts")
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("h.db")), catalog: try Catalog([renamed]))
        let row = try #require(try migrator.historyEntries().first)
        #expect(row.description == "create the accounts table")
        #expect(Self.address(row.script) == Self.address(renamed.script))
        #expect(try migrator.validate().contains { if case .descriptionChanged = $0 { true } else { false } })
    }
}
