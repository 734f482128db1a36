/// Stands in for the database in dry runs and offline scripts: the migrator runs exactly as it
/// would live, and every statement it would send is written down as SQL text instead.
///
/// Because the preview *is* a run, it holds what a live run sends and in the same order:
/// timeouts, callbacks, transaction boundaries, the leftover drops before a retried concurrent
/// index build, and the history statements. Reads (the history, the catalog checks) go to the
/// real database when there is one, so nothing is guessed; with none, the history comes from
/// the ``HistoryTable``'s assumed rows.
package final class RecordingDatabase: Database {
    package let dialect: any SQLDialect
    private let reads: (any Database)?
    private(set) var script = ""
    private var transactionDepth = 0

    /// - Parameter reads: the live database to read from, or nil for a script written without one.
    package init(dialect: any SQLDialect, reads: (any Database)?) {
        self.dialect = dialect
        self.reads = reads
    }

    /// Adds a comment line, such as the migration the following statements belong to.
    func note(_ text: String) {
        script += "\n" + text.split(separator: "\n").map { "-- \($0)\n" }.joined()
    }

    package func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        script += dialect.render(SQLStatement(sql, arguments)) + ";\n"
    }

    package func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        guard let reads else {
            throw DatabaseError(message: "an offline script has no database to query", sql: sql)
        }
        return try reads.query(sql, arguments)
    }

    package func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        guard let reads else {
            throw DatabaseError(message: "an offline script has no database to query", sql: sql)
        }
        try reads.forEachRow(sql, arguments, body)
    }

    package func executeScript(_ sql: String) throws(ScriptError) {
        script += ScriptText.terminated(sql)
    }

    package func inTransaction<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else { return try body() }
        script += dialect.beginTransaction + ";\n"
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let result = try body()
        script += "COMMIT;\n"
        return result
    }

    /// A preview is one run on its own; it takes no lock, so it never waits for a live one.
    package func withMigrationLock<T>(for table: TableName, _ body: () throws -> T) throws -> T {
        try body()
    }

    package var migrationLockExcludesOtherRuns: Bool { true }

    package func tableExists(_ table: TableName) throws -> Bool {
        try reads?.tableExists(table) ?? false
    }

    package func userObjectCount(excluding table: TableName) throws -> Int {
        try reads?.userObjectCount(excluding: table) ?? 0
    }

    package func leftovers(ofFailedScript sql: String) throws -> [Leftover] {
        try reads?.leftovers(ofFailedScript: sql) ?? []
    }

    package func sessionUser() throws -> String? {
        try reads?.sessionUser()
    }

    package func dropEverything(inSchemas schemas: [String]) throws -> [String] {
        throw DatabaseError(message: "a dry run does not clean databases")
    }
}

/// Script text as a preview prints it.
enum ScriptText {
    /// A script that surely ends its last statement, on a line of its own so that a trailing
    /// comment cannot swallow the `;`.
    static func terminated(_ sql: String) -> String {
        let trimmed = SQLText.trimmed(sql)
        if trimmed.isEmpty { return "" }
        return trimmed.hasSuffix(";") ? trimmed + "\n" : trimmed + "\n;\n"
    }
}
