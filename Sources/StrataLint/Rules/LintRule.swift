/// A rule: a pure function from a statement (and what the statements before it did) to what
/// is wrong with it. A rule about a whole migration looks at the context at its end instead.
package struct LintRule: Sendable {
    package let id: String
    package let severity: LintSeverity
    /// One line on what the rule catches.
    package let summary: String
    let statement: @Sendable (LintStatement, LintContext) -> [RuleHit]
    let migrationEnd: @Sendable (LintContext) -> [RuleHit]

    init(_ id: String, _ severity: LintSeverity, _ summary: String,
         statement: @escaping @Sendable (LintStatement, LintContext) -> [RuleHit] = { _, _ in [] },
         migrationEnd: @escaping @Sendable (LintContext) -> [RuleHit] = { _ in [] }) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.statement = statement
        self.migrationEnd = migrationEnd
    }
}

extension LintRule {
    /// Every rule, in the order findings for one statement are listed.
    package static let all: [LintRule] = [
        addColumnVolatileDefault, addColumnGeneratedStored, addColumnRequired, setNotNull, alterColumnType,
        constraintNotValid, validateSameTransaction, uniqueWithoutIndex, foreignKeyWithoutIndex,
        createIndexNotConcurrent, dropIndexNotConcurrent, reindexNotConcurrent, concurrentlyInTransaction,
        renameColumn, renameTable, dropColumn, dropTable,
        preferJSONB, preferTimestamptz, preferText, preferBigintIdentity,
        vacuumFull, cluster, truncate, enumValueInTransaction,
        identifierTooLong, lockOrdering,
    ]

    /// A statement libpg_query cannot parse: reported where it is, never skipped.
    package static let syntaxErrorID = "syntax-error"
    /// A `-- strata:lint-ignore` comment that suppresses nothing.
    package static let unusedIgnoreID = "unused-ignore"

    /// Every rule id, the two the linter reports itself included.
    package static var ids: Set<String> {
        Set(all.map(\.id) + [syntaxErrorID, unusedIgnoreID])
    }

    /// The tables of statements about existing tables: nil when the table is new in this migration.
    static func existing(_ table: Relation, _ context: LintContext) -> Relation? {
        context.isNew(table) ? nil : table
    }
}
