/// How much a finding matters: an error fails `strata lint`, a warning does not. `migrate`
/// reports a finding as `info` when the statement runs in its safe form instead (see
/// ``LintFinding/rewrittenAs``); `[lint]` cannot set it.
public enum LintSeverity: String, Sendable, Equatable, Codable {
    case error, warning, info
}

/// One thing a rule found in one statement, with what it costs a live system and the SQL
/// that does the same safely.
public struct LintFinding: Sendable, Equatable, Codable {
    /// The rule's id (`set-not-null`), the name `-- strata:lint-ignore` and `[lint]` use.
    public let rule: String
    /// The rule's severity, or the one `[lint]` sets for it.
    public var severity: LintSeverity
    /// The migration file.
    public let path: String
    /// The 1-based line of the statement (or of the comment, for `unused-ignore`).
    public let line: Int
    /// What the statement does, in one sentence.
    public let message: String
    /// The strongest lock the statement takes, and on which table.
    public let lock: LockMode?
    /// The table that lock is on, as the statement names it; nil when the statement takes none.
    public let table: String?
    /// Whether the table is read or written in full under that lock.
    public let work: TableWork?
    /// Why it hurts a live system.
    public let why: String
    /// The statements that do the same without the harm; nil where there is none.
    public let safeSQL: String?
    /// What `migrate` runs instead under `safety = "rewrite"`, when it runs the statement in its
    /// safe form; nil when the statement runs as written.
    public var rewrittenAs: String?

    package init(rule: String, severity: LintSeverity, path: String, line: Int, hit: RuleHit) {
        self.rule = rule
        self.severity = severity
        self.path = path
        self.line = line
        message = hit.message
        lock = hit.lock
        table = hit.table
        work = hit.work
        why = hit.why
        safeSQL = hit.safeSQL
    }
}

/// What a rule says about a statement; the linter adds the rule, the place and the severity.
package struct RuleHit: Sendable, Equatable {
    package var message: String
    package var lock: LockMode?
    package var table: String?
    package var work: TableWork?
    package var why: String
    package var safeSQL: String?
    /// Set for a hit about an earlier statement than the current one (a foreign key found
    /// unindexed at the end of its migration).
    package var line: Int?

    package init(message: String, lock: LockMode? = nil, table: String? = nil, work: TableWork? = nil, why: String,
                 safeSQL: String? = nil, line: Int? = nil) {
        self.message = message
        self.lock = lock
        self.table = table
        self.work = work
        self.why = why
        self.safeSQL = safeSQL
        self.line = line
    }
}
