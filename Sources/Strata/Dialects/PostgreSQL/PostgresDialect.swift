/// PostgreSQL's SQL. The history table matches the one Flyway creates on PostgreSQL.
public struct PostgresDialect: SQLDialect {
    public init() {}

    public var name: String { "PostgreSQL" }

    public func parameter(_ index: Int) -> String { "$\(index)" }

    public func createHistoryTable(_ table: TableName) -> [String] {
        let qualifiedTable = qualified(table)
        return [
            """
            CREATE TABLE \(qualifiedTable) (
                "installed_rank" INT NOT NULL,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INTEGER,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL,
                "success" BOOLEAN NOT NULL
            )
            """,
            "ALTER TABLE \(qualifiedTable) ADD CONSTRAINT \(quote(table.name + "_pk")) PRIMARY KEY (\"installed_rank\")",
            "CREATE INDEX \(quote(table.name + "_s_idx")) ON \(qualifiedTable) (\"success\")",
        ]
    }

    public func installedOnAsText(_ column: String) -> String {
        "to_char(\(column), 'YYYY-MM-DD HH24:MI:SS.MS')"
    }

    public func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis {
        do {
            let statements = try PostgresScriptSplitter.split(script)
            return ScriptAnalysis(
                statementCount: statements.count,
                refusingTransactionLines: statements.filter(\.requiresNoTransaction).map(\.line),
                transactionControlLines: statements.filter { Self.controlsTransaction($0.text) }.map(\.line))
        } catch {
            throw ScriptError(line: error.line, statement: "", message: error.message, code: nil)
        }
    }

    public func setLockTimeout(milliseconds: Int) -> String? {
        "SET lock_timeout = \(milliseconds)"
    }

    public func setStatementTimeout(milliseconds: Int) -> String? {
        "SET statement_timeout = \(milliseconds)"
    }

    public func booleanLiteral(_ value: Bool) -> String { value ? "true" : "false" }
    public var beginTransaction: String { "BEGIN" }

    /// SQLSTATE 55P03, lock_not_available: what `lock_timeout` raises.
    public func isLockTimeout(_ error: ScriptError) -> Bool {
        error.code == "55P03"
    }
}
