/// SQLite's SQL. The history table matches the one Flyway creates on SQLite.
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public var name: String { "SQLite" }

    public func parameter(_ index: Int) -> String { "?\(index)" }

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

    public func installedOnAsText(_ column: String) -> String { column }

    /// SQLite's driver walks scripts with SQLite's own parser as it runs them, and every
    /// statement may run in a transaction (SQLite itself reports the rare exception, VACUUM).
    public func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis {
        ScriptAnalysis(statementCount: 0, refusingTransactionLines: [])
    }

    /// Writers wait on SQLite's busy timeout instead.
    public func setLockTimeout(milliseconds: Int) -> String? { nil }
    public func setStatementTimeout(milliseconds: Int) -> String? { nil }
    public func isLockTimeout(_ error: ScriptError) -> Bool { false }
    public func booleanLiteral(_ value: Bool) -> String { value ? "1" : "0" }
    /// `IMMEDIATE` takes the write lock at once, which serializes concurrent runs on one file.
    public var beginTransaction: String { "BEGIN IMMEDIATE" }
}
