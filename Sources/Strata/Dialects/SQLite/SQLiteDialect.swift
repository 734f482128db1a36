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
    public func setStatementTimeout(milliseconds: Int) -> String? { nil }
    public func isLockTimeout(_ error: ScriptError) -> Bool { false }
    public func booleanLiteral(_ value: Bool) -> String { value ? "1" : "0" }
    /// `IMMEDIATE` takes the write lock at once, which serializes concurrent runs on one file.
    public var beginTransaction: String { "BEGIN IMMEDIATE" }
}
