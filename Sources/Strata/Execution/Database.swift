/// The only door to a live database engine. Drivers implement it as thinly as they can;
/// every decision about what to run is made before a call reaches here.
public protocol Database: AnyObject {
    /// What the engine's SQL looks like.
    var dialect: any SQLDialect { get }

    /// Runs one statement with positional arguments.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs a write whose outcome nothing reads before the transaction commits, such as a
    /// history row. A driver may hold it back to send it with the `COMMIT` (or before any other
    /// statement), and then reports its failure from there; outside a transaction it runs at once.
    func executeBeforeCommit(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs one query and returns all its rows.
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs one query and hands its rows to `body` one at a time, so that a long result (the
    /// history of ten thousand migrations) is never held whole beside what is made of it.
    /// `body` must not use the same database: a driver may still be reading the result.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws
    /// Runs a migration script statement by statement, as the engine splits it.
    /// - Throws: ``ScriptError`` naming the line of the statement that failed.
    func executeScript(_ sql: String) throws(ScriptError)
    /// Runs `body` in one transaction that also holds the engine's write lock, committing if
    /// it returns and rolling back if it throws.
    func inTransaction<T>(_ body: () throws -> T) throws -> T
    /// Holds the cross-process migration lock for the history table while `body` runs. The
    /// lock must die with the process, never go stale.
    func withMigrationLock<T>(for table: TableName, _ body: () throws -> T) throws -> T
    /// Whether that lock alone keeps other runs from writing the history (PostgreSQL's
    /// advisory lock does; SQLite's write lock is taken per transaction, so the history is
    /// checked again in each one).
    var migrationLockExcludesOtherRuns: Bool { get }
    /// Whether the table exists (in its schema, or in the search path when it names none).
    func tableExists(_ table: TableName) throws -> Bool
    /// How many tables, views, indexes and the like the history table's schema holds,
    /// not counting the history table itself.
    func userObjectCount(excluding table: TableName) throws -> Int
    /// What a failed run of a script outside a transaction left behind that would stop it
    /// from running again, such as the invalid index of a failed `CREATE INDEX CONCURRENTLY`.
    func leftovers(ofFailedScript sql: String) throws -> [Leftover]
    /// Waits, asking for no lock, until every one of `blockers`' transactions has ended or
    /// `limit` has passed; true when they all ended. See ``LockBlocker``.
    func waitForEnd(of blockers: [LockBlocker], upTo limit: Duration) throws -> Bool
    /// The database user, for the history's `installed_by`; nil where the engine has none.
    func sessionUser() throws -> String?
    /// Drops every object in the schemas (the whole database on SQLite); returns what it dropped.
    func dropEverything(inSchemas schemas: [String]) throws -> [String]
}

/// Something a failed migration left in the database, and the statement that removes it.
public struct Leftover: Sendable, Equatable, CustomStringConvertible {
    /// What it is, for messages: `the invalid index "app"."users_email"`.
    public let description: String
    /// The statement that removes it.
    public let cleanup: String
    /// Whether running the script again removes it first: the invalid index that a
    /// `CREATE INDEX CONCURRENTLY IF NOT EXISTS` would otherwise keep as it is.
    public let removedBeforeRerun: Bool

    /// For drivers that find what a failed script left behind.
    public init(description: String, cleanup: String, removedBeforeRerun: Bool = false) {
        self.description = description
        self.cleanup = cleanup
        self.removedBeforeRerun = removedBeforeRerun
    }
}

extension Database {
    /// Runs one statement without arguments.
    public func execute(_ sql: String) throws {
        try execute(sql, [])
    }

    /// The default for drivers that hold nothing back: runs the write at once with
    /// ``Database/execute(_:_:)``.
    public func executeBeforeCommit(_ sql: String, _ arguments: [SQLValue]) throws {
        try execute(sql, arguments)
    }

    public func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        for row in try query(sql, arguments) { try body(row) }
    }
}

/// A statement of a migration script failed.
public struct ScriptError: Error, Sendable, Equatable {
    /// The 1-based line, within the script, where the failing statement starts.
    public let line: Int
    /// The statement's first line, for the message.
    public let statement: String
    /// The database's message, with its detail and hint where the engine gives them.
    public let message: String
    /// The engine's error code (SQLite's result code name, PostgreSQL's SQLSTATE).
    public let code: String?
    /// Who held the lock the statement waited for, when the driver could tell.
    public let blockedBy: String?
    /// The transactions that held it, for the executor to wait for before it retries.
    public let blockers: [LockBlocker]

    /// For drivers: where the failing statement starts and what the engine said.
    public init(line: Int, statement: String, message: String, code: String?, blockedBy: String? = nil, blockers: [LockBlocker] = []) {
        self.line = line
        self.statement = statement
        self.message = message
        self.code = code
        self.blockedBy = blockedBy
        self.blockers = blockers
    }
}
