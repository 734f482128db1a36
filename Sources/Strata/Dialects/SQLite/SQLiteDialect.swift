/// SQLite's SQL. The history table matches the one Flyway creates on SQLite.
public struct SQLiteDialect: SQLDialect {
    /// SQLite's dialect; it holds no state.
    public init() {}

    /// `SQLite`.
    public var name: String { "SQLite" }

    /// `?1`, `?2`, …
    public func parameter(_ index: Int) -> String { "?\(index)" }

    /// The history table laid out as Flyway's on SQLite, and its index on `success`.
    public func createHistoryTable(_ table: TableName) -> [String] {
        let indexName = table.schema.map { quote($0) + "." } ?? ""
        return [
            """
            CREATE TABLE \(qualified(table)) (
                "installed_rank" INT NOT NULL PRIMARY KEY,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INT,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
                "execution_time" INT NOT NULL,
                "success" BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX \(indexName)\(quote(table.name + "_s_idx")) ON \(quote(table.name)) (\"success\")",
        ]
    }

    /// The column itself: SQLite stores `installed_on` as text already.
    public func installedOnAsText(_ column: String) -> String { column }

    /// Splits the script as SQLite's parser would, so that transaction control and `VACUUM` are
    /// found before anything runs.
    public func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis {
        let statements = try SQLiteScriptSplitter.split(script)
        return ScriptAnalysis(
            statementCount: statements.count,
            refusingTransactionLines: statements.filter(\.refusesTransaction).map(\.line),
            transactionControlLines: statements.filter(\.controlsTransaction).map(\.line))
    }

    /// Writers wait on SQLite's busy timeout instead.
    public func setLockTimeout(milliseconds: Int) -> String? { nil }
    /// Nil: SQLite has no statement timeout.
    public func setStatementTimeout(milliseconds: Int) -> String? { nil }
    /// Always false: SQLite waits for its lock instead of timing out a statement.
    public func isLockTimeout(_ error: ScriptError) -> Bool { false }
    /// `1` and `0`, as SQLite stores booleans.
    public func booleanLiteral(_ value: Bool) -> String { value ? "1" : "0" }
    /// `IMMEDIATE` takes the write lock at once, which serializes concurrent runs on one file.
    public var beginTransaction: String { "BEGIN IMMEDIATE" }
}
