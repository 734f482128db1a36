import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// A ``Database`` on the system's libsqlite3.
///
/// Scripts are walked with SQLite's own parser (`sqlite3_prepare_v2` and its tail pointer), so
/// trigger bodies, strings and comments split exactly as SQLite itself splits them.
/// Transactions begin `IMMEDIATE`: they take SQLite's write lock at once, which is what
/// serializes concurrent `strata` processes on one file.
public final class SQLiteDatabase: Database {
    /// ``SQLiteDialect``.
    public let dialect: any SQLDialect = SQLiteDialect()
    /// The file, or `:memory:`.
    public let path: String
    private let connection: OpaquePointer

    /// Opens (and by default creates) a database file.
    /// - Parameters:
    ///   - path: the file, relative or absolute, or `:memory:` for a database that lives as long
    ///     as this connection.
    ///   - create: false to fail when the file does not exist instead of creating it.
    ///   - busyTimeout: how long to wait for another process's write lock.
    public init(path: String, create: Bool = true, busyTimeout: Duration = .seconds(120)) throws(DatabaseError) {
        _ = Self.withoutMemoryStatistics
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(handle)
            throw DatabaseError(
                message: "cannot open the SQLite database '\(path)': \(message). Check that its folder exists and is writable.",
                code: "SQLite \(status)")
        }
        connection = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(busyTimeout / .milliseconds(1)))
        defaultCacheSize = (try? query("PRAGMA cache_size", []).first?.first?.int) ?? nil
        sqlite3_exec(handle, "PRAGMA cache_size = \(Self.readingCacheSize)", nil, nil, nil)
    }

    /// The page cache while Strata only reads the history, in `PRAGMA cache_size` units
    /// (negative: KiB). With SQLite's default of 2 MB, the pages of the schema (which SQLite
    /// reads on the first statement) stayed cached: 1.5 MB on a database of 10,000 tables, that
    /// `info` and `status` never read again. The first script or statement that writes gets
    /// the default back.
    static let readingCacheSize = -256

    /// SQLite's own page cache size, restored before the first script or `execute` runs (and
    /// then nil), so that a migration, SQL or Swift, has the cache it always had.
    private var defaultCacheSize: Int?

    deinit {
        sqlite3_close_v2(connection)
    }

    /// SQLite's memory statistics (`sqlite3_memory_used`) take a process-wide mutex on every
    /// allocation, which cost a tenth of a migration run; Strata never reads them. Turned off
    /// once, before the first connection, unless the process has already used SQLite.
    private static let withoutMemoryStatistics: Void = {
        _ = strata_sqlite3_disable_memory_statistics()
    }()

    // MARK: Statements

    /// Runs one statement, binding `arguments` to `?1`, `?2`, …
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        restoreDefaultCacheSize()
        _ = try query(sql, arguments)
    }

    /// Gives SQLite its own page cache size back once Strata writes (see ``readingCacheSize``).
    private func restoreDefaultCacheSize() {
        guard let size = defaultCacheSize else { return }
        sqlite3_exec(connection, "PRAGMA cache_size = \(size)", nil, nil, nil)
        defaultCacheSize = nil
    }

    /// Runs one statement and returns its rows, integers as integers and other values as SQLite stores them.
    public func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql, arguments) { rows.append($0) }
        return rows
    }

    /// Runs one statement and hands each row to `body` as SQLite steps to it.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw lastError(sql: sql)
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in arguments.enumerated() {
            bind(value, at: Int32(index + 1), in: statement)
        }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: try body(row(of: statement))
            case SQLITE_DONE: return
            default: throw lastError(sql: sql)
            }
        }
    }

    /// Runs a script statement by statement as SQLite's parser splits it, refusing one that ends the
    /// migration's transaction.
    ///
    /// A script run outside ``inTransaction(_:)`` that fails leaves the connection as it found it:
    /// a transaction it opened (a `-- strata:transaction=false` table rebuild) is rolled back and
    /// `PRAGMA foreign_keys` is set back, so the history row and later migrations still run.
    public func executeScript(_ sql: String) throws(ScriptError) {
        restoreDefaultCacheSize()
        guard transactionDepth == 0 else { return try runStatements(sql) }
        let foreignKeys = try? query("PRAGMA foreign_keys", []).first?.first?.int
        do {
            try runStatements(sql)
        } catch {
            if sqlite3_get_autocommit(connection) == 0 { sqlite3_exec(connection, "ROLLBACK", nil, nil, nil) }
            if let foreignKeys { sqlite3_exec(connection, "PRAGMA foreign_keys = \(foreignKeys)", nil, nil, nil) }
            throw error
        }
    }

    private func runStatements(_ sql: String) throws(ScriptError) {
        try forEachStatement(in: sql) { statement, script, span throws(ScriptError) in
            if transactionDepth > 0 && Self.controlsTransaction(script.text(from: span.lowerBound, upTo: span.upperBound)) {
                throw ScriptError(
                    line: script.line(at: span.lowerBound), statement: script.firstLine(from: span.lowerBound, upTo: span.upperBound),
                    message: "this statement would end the migration's transaction; remove BEGIN, COMMIT and ROLLBACK from migration files, since Strata runs each migration in its own transaction",
                    code: nil)
            }
            var stepStatus = sqlite3_step(statement)
            while stepStatus == SQLITE_ROW { stepStatus = sqlite3_step(statement) }
            guard stepStatus == SQLITE_DONE else { throw scriptError(in: script, upTo: span.upperBound) }
        }
    }

    /// Walks a script with SQLite's own parser: prepares one statement at a time, where the
    /// previous one's tail pointer left off, and hands it to `run` with the byte offsets of its
    /// first token and its end.
    func forEachStatement(
        in sql: String, _ run: (OpaquePointer, ScriptCursor, Range<Int>) throws(ScriptError) -> Void
    ) throws(ScriptError) {
        var script = ScriptCursor(sql)
        defer { script.deallocate() }
        while !script.isAtEnd {
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(connection, script.current, Int32(script.remaining), &statement, &tail)
            guard status == SQLITE_OK else { throw scriptError(in: script, upTo: nil) }
            guard let statement, let tail else { return }
            defer { sqlite3_finalize(statement) }
            let end = script.offset(of: tail)
            try run(statement, script, script.firstToken()..<end)
            script.advance(to: end)
        }
    }

    /// A second guard behind the analysis that refuses such scripts before a run: `BEGIN`,
    /// `COMMIT`, `END` and `ROLLBACK` (but not `ROLLBACK TO`) are refused before they run.
    private static func controlsTransaction(_ statement: String) -> Bool {
        (try? SQLiteScriptSplitter.split(statement))?.first?.controlsTransaction ?? false
    }

    // MARK: Transactions and locking

    private var transactionDepth = 0

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction, which takes the write lock at once; nested calls
    /// join the transaction already open.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else { return try body() }
        try execute(dialect.beginTransaction)
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(connection) == 0 {
                sqlite3_exec(connection, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// SQLite has no session lock to hold: its own database lock, taken by every `BEGIN
    /// IMMEDIATE`, serializes writers across processes and is released by the OS if a process
    /// dies. The migrator re-checks the history inside each of those transactions.
    public func withMigrationLock<T>(for table: TableName, _ body: () throws -> T) throws -> T {
        try body()
    }

    /// False: SQLite's lock is the write lock of each transaction, so every migration checks the
    /// history again inside its own.
    public var migrationLockExcludesOtherRuns: Bool { false }

    // MARK: Catalog queries

    /// Whether the table exists in its schema (`main` when it names none).
    public func tableExists(_ table: TableName) throws -> Bool {
        let rows = try query(
            "SELECT 1 FROM \(master(of: table)) WHERE type = 'table' AND name = ?1", [.text(table.name)])
        return !rows.isEmpty
    }

    /// How many tables, views, indexes and triggers the schema holds besides the history table.
    public func userObjectCount(excluding table: TableName) throws -> Int {
        try query(
            "SELECT count(*) FROM \(master(of: table)) WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> ?1",
            [.text(table.name)]
        ).first?.first?.int ?? 0
    }

    /// Every SQLite migration runs in a transaction, so a failure leaves nothing behind.
    public func leftovers(ofFailedScript sql: String) throws -> [Leftover] { [] }

    /// Nil: SQLite has no users, so the history records the operating-system user.
    public func sessionUser() throws -> String? { nil }

    /// Drops the views, triggers and tables of the database (indexes go with their tables),
    /// in one transaction; SQLite's own tables stay.
    public func dropEverything(inSchemas schemas: [String]) throws -> [String] {
        let schema = dialect.quote(schemas.first ?? "main")
        return try inTransaction {
            let objects = try query(
                "SELECT type, name FROM \(schema).sqlite_master WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table', name", [])
            for object in objects {
                let type = object[0].string!.uppercased(), name = object[1].string!
                try execute("DROP \(type) IF EXISTS \(schema).\(dialect.quote(name))")
            }
            return objects.map { "\($0[0].string!) \($0[1].string!)" }
        }
    }

    private func master(of table: TableName) -> String {
        dialect.quote(table.schema ?? "main") + ".sqlite_master"
    }

    // MARK: Values

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text): sqlite3_bind_text(statement, index, text, -1, Self.transient)
        case .bool(let flag): sqlite3_bind_int64(statement, index, flag ? 1 : 0)
        }
    }

    private func row(of statement: OpaquePointer) -> SQLRow {
        (0..<sqlite3_column_count(statement)).map { column in
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
            case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
            case SQLITE_NULL: .null
            default: .text(String(cString: sqlite3_column_text(statement, column)))
            }
        }
    }

    // MARK: Errors

    private var errorCode: String {
        "\(sqlite3_extended_errcode(connection))"
    }

    private var errorMessage: String {
        String(cString: sqlite3_errmsg(connection))
    }

    private func lastError(sql: String) -> DatabaseError {
        DatabaseError(message: errorMessage, code: "SQLite \(errorCode)", sql: sql)
    }

    private func scriptError(in script: ScriptCursor, upTo end: Int?) -> ScriptError {
        let start = script.firstToken()
        return ScriptError(
            line: script.line(at: start), statement: script.firstLine(from: start, upTo: end),
            message: errorMessage, code: errorCode)
    }
}
