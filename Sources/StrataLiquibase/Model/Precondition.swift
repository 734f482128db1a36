/// What to do when a precondition fails or errors, as Liquibase names it.
public enum PreconditionFailureAction: String, Sendable, Hashable {
    /// Stop the run with an error (Liquibase's default).
    case halt = "HALT"
    /// Skip the changeset this time; try it again next run.
    case `continue` = "CONTINUE"
    /// Skip the changeset and record it as ran (`MARK_RAN`).
    case markRan = "MARK_RAN"
    /// Print a warning and run the changeset anyway.
    case warn = "WARN"
}

/// What `update-sql` does with preconditions: run them (`TEST`, `FAIL` to refuse) or treat
/// them as passed (`IGNORE`).
public enum PreconditionSQLOutput: String, Sendable, Hashable {
    case ignore = "IGNORE"
    case test = "TEST"
    case fail = "FAIL"
}

/// A `<preConditions>` block: its conditions (all must hold) and what to do when they don't.
public struct Preconditions: Sendable, Hashable {
    public var onFail: PreconditionFailureAction
    public var onError: PreconditionFailureAction
    public var onSqlOutput: PreconditionSQLOutput
    public var onFailMessage: String?
    public var onErrorMessage: String?
    /// Implicitly AND-ed, as Liquibase does.
    public var conditions: [Precondition]
    public var location: ChangelogLocation

    public init(
        onFail: PreconditionFailureAction = .halt, onError: PreconditionFailureAction = .halt,
        onSqlOutput: PreconditionSQLOutput = .ignore, onFailMessage: String? = nil, onErrorMessage: String? = nil,
        conditions: [Precondition], location: ChangelogLocation
    ) {
        self.onFail = onFail
        self.onError = onError
        self.onSqlOutput = onSqlOutput
        self.onFailMessage = onFailMessage
        self.onErrorMessage = onErrorMessage
        self.conditions = conditions
        self.location = location
    }
}

/// One condition on the database or the run. Evaluating it needs a database (or the run's
/// settings), so that happens in the runner; here it is only data.
public indirect enum Precondition: Sendable, Hashable {
    case and([Precondition])
    case or([Precondition])
    /// True when none of them holds (Liquibase's `not` over several is "not any").
    case not([Precondition])
    case tableExists(schema: String?, table: String)
    case columnExists(schema: String?, table: String, column: String)
    case viewExists(schema: String?, view: String)
    case sequenceExists(schema: String?, sequence: String)
    /// By name, or by table and columns.
    case indexExists(schema: String?, table: String?, index: String?, columns: [String])
    case primaryKeyExists(schema: String?, table: String?, name: String?)
    case foreignKeyConstraintExists(schema: String?, table: String?, name: String)
    /// By name, or by its columns.
    case uniqueConstraintExists(schema: String?, table: String, name: String?, columns: [String])
    case rowCount(schema: String?, table: String, expected: Int)
    case tableIsEmpty(schema: String?, table: String)
    /// The query's single value, compared as text to `expected`.
    case sqlCheck(expected: String, sql: String)
    case changeSetExecuted(id: String, author: String, path: String)
    /// A changelog property is defined (and, with `value`, equals it).
    case changeLogPropertyDefined(property: String, value: String?)
    /// Liquibase's database short names, `!` negating (`postgresql`, `!sqlite`).
    case dbms(types: [String])
    case runningAs(username: String)
    case expectedQuotingStrategy(String)
    /// A Java class: cannot be evaluated here.
    case custom(className: String, parameters: [String: String])
}
