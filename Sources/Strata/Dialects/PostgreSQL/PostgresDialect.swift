/// PostgreSQL's SQL. The history table matches the one Flyway creates on PostgreSQL.
public struct PostgresDialect: SQLDialect {
    /// PostgreSQL's dialect; it holds no state.
    public init() {}

    /// `PostgreSQL`.
    public var name: String { "PostgreSQL" }

    /// `$1`, `$2`, …
    public func parameter(_ index: Int) -> String { "$\(index)" }

    /// The history table laid out as Flyway's on PostgreSQL, its primary key and its index on `success`.
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

    /// `installed_on` formatted to the millisecond, as the history's readers expect.
    public func installedOnAsText(_ column: String) -> String {
        "to_char(\(column), 'YYYY-MM-DD HH24:MI:SS.MS')"
    }

    /// Splits the script as psql would and reports the statements that refuse a transaction block
    /// (`CREATE INDEX CONCURRENTLY` and the like) and those that begin or end a transaction.
    public func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis {
        do {
            let statements = try PostgresScriptSplitter.split(script)
            return ScriptAnalysis(
                statementCount: statements.count,
                refusingTransactionLines: statements.filter(\.requiresNoTransaction).map(\.line),
                transactionControlLines: statements.filter(\.controlsTransaction).map(\.line))
        } catch {
            throw ScriptError(line: error.line, statement: "", message: error.message, code: nil)
        }
    }

    /// `SET lock_timeout`, so that DDL waiting for a lock gives up before it stalls the queries
    /// queued behind it.
    public func setLockTimeout(milliseconds: Int) -> String? {
        "SET lock_timeout = \(milliseconds)"
    }

    /// `SET statement_timeout`.
    public func setStatementTimeout(milliseconds: Int) -> String? {
        "SET statement_timeout = \(milliseconds)"
    }

    /// `true` and `false`.
    public func booleanLiteral(_ value: Bool) -> String { value ? "true" : "false" }
    /// `BEGIN`: locks are taken by the statements themselves, under the lock timeout.
    public var beginTransaction: String { "BEGIN" }

    /// `synchronous_commit` back to the session's default (the server's, the role's, or the
    /// connection's own choice) for this transaction's commit only.
    public var durableCommit: String? { "SET LOCAL synchronous_commit TO DEFAULT" }

    /// SQLSTATE 55P03, lock_not_available: what `lock_timeout` raises.
    public func isLockTimeout(_ error: ScriptError) -> Bool {
        error.code == "55P03"
    }
}
