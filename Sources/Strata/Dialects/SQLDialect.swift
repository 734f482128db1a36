/// Knowledge of an engine's SQL, with no connection: quoting, parameters and the history
/// table's statements. Dialects live in the core so that previews and offline SQL need no driver.
public protocol SQLDialect: Sendable {
    /// The engine's name as users know it.
    var name: String { get }
    /// The marker for the 1-based `index`-th statement parameter.
    func parameter(_ index: Int) -> String
    /// The statements that create the history table and its index.
    func createHistoryTable(_ table: TableName) -> [String]
    /// An expression that reads `installed_on` as text.
    func installedOnAsText(_ column: String) -> String
    /// How many statements a script holds and the lines of those the engine refuses inside a
    /// transaction. Throws when the script cannot be split (a psql meta-command, say).
    func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis
    /// The statement that sets how long a statement may wait for a lock (0: forever), or nil
    /// when the engine has no such setting.
    func setLockTimeout(milliseconds: Int) -> String?
    /// The statement that bounds a statement's run time (0: no bound), or nil.
    func setStatementTimeout(milliseconds: Int) -> String?
    /// Whether a failure means only that a lock was not granted in time, so a retry may succeed.
    func isLockTimeout(_ error: ScriptError) -> Bool
    /// How the engine writes `true` and `false`.
    func booleanLiteral(_ value: Bool) -> String
    /// The statement that opens a migration's transaction.
    var beginTransaction: String { get }
    /// A statement that, sent last in a transaction, makes its `COMMIT` wait until the commit
    /// is durable, as the session's defaults have it, even where the run let commits return
    /// before their flush; nil where commits always wait.
    var durableCommit: String? { get }
}

/// What a dialect learned from splitting a script, without running it.
public struct ScriptAnalysis: Sendable, Equatable {
    /// How many statements the script holds.
    public let statementCount: Int
    /// Lines of the statements that cannot run inside a transaction.
    public let refusingTransactionLines: [Int]
    /// Lines of `BEGIN`, `COMMIT`, `ROLLBACK` and the like, which would end Strata's own transaction.
    public let transactionControlLines: [Int]

    /// For dialects (and their tests) to report what they found.
    public init(statementCount: Int, refusingTransactionLines: [Int], transactionControlLines: [Int] = []) {
        self.statementCount = statementCount
        self.refusingTransactionLines = refusingTransactionLines
        self.transactionControlLines = transactionControlLines
    }
}

extension SQLDialect {
    /// None: the engine's commits wait for their flush.
    public var durableCommit: String? { nil }

    /// Double-quotes an identifier, doubling embedded quotes (standard SQL, both engines).
    public func quote(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// A value as a SQL literal, for scripts people read and apply by hand.
    public func literal(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .bool(let flag): booleanLiteral(flag)
        }
    }

    /// A statement with its parameters replaced by literals (highest first, so `$10` is not read as `$1`).
    package func render(_ statement: SQLStatement) -> String {
        var sql = statement.sql
        for (index, value) in statement.arguments.enumerated().reversed() {
            sql = sql.split(separator: parameter(index + 1), omittingEmptySubsequences: false).joined(separator: literal(value))
        }
        return sql
    }

    /// A table name quoted, with its schema when it has one: `"app"."strata_schema_history"`.
    public func qualified(_ table: TableName) -> String {
        table.schema.map { quote($0) + "." + quote(table.name) } ?? quote(table.name)
    }
}
