import StrataTestSupport
import Testing
@testable import StrataSQLite

/// Strata reads the history with a small page cache, and gives SQLite its own size back as
/// soon as it writes, so migrations run with the cache they always had.
@Suite struct SQLiteCacheSizeTests {
    @Test func readingUsesASmallCacheAndWritingTheDefault() throws {
        let folder = TemporaryFolder()
        let database = try SQLiteDatabase(path: folder.file("cache.db"))
        #expect(try database.query("PRAGMA cache_size", []).first?.first?.int == SQLiteDatabase.readingCacheSize)
        try database.executeScript("CREATE TABLE t (id INTEGER);")
        #expect(try database.query("PRAGMA cache_size", []).first?.first?.int == -2000)
    }

    @Test func aStatementThatWritesRestoresTheDefaultToo() throws {
        let folder = TemporaryFolder()
        let database = try SQLiteDatabase(path: folder.file("cache.db"))
        try database.execute("CREATE TABLE t (id INTEGER)", [])
        #expect(try database.query("PRAGMA cache_size", []).first?.first?.int == -2000)
    }
}
