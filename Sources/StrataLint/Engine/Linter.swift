import Strata

/// Lints migrations in the order they run: each statement is parsed by PostgreSQL's grammar,
/// shown to every rule with what the statements before it did, and its findings filtered by
/// the file's ignore comments and the configuration.
public struct Linter: Sendable {
    /// The configuration it lints with.
    public let options: LintOptions
    private let rules: [LintRule]
    /// Each rule's severity, the configuration's over the rule's own.
    private let severities: [String: LintSeverity]

    /// A linter that runs every rule `options` does not disable.
    public init(options: LintOptions = LintOptions()) {
        self.options = options
        rules = LintRule.all.filter { !options.disabled.contains($0.id) }
        var severities = Dictionary(uniqueKeysWithValues: LintRule.all.map { ($0.id, $0.severity) })
        severities[LintRule.syntaxErrorID] = .error
        severities[LintRule.unusedIgnoreID] = .warning
        self.severities = severities.merging(options.severities) { $1 }
    }

    /// The findings of the reported sources, file by file in the given order, by line within a file.
    /// - Throws: ``ParserUnavailable`` when libpg_query is not installed.
    public func lint(_ sources: [LintSource]) throws(ParserUnavailable) -> [LintFinding] {
        var pass = LintPass(self)
        var findings: [LintFinding] = []
        for source in sources {
            findings += try pass.lint(source)
        }
        return findings
    }

    fileprivate func lint(_ source: LintSource, context: inout LintContext, keepingNewTables: Bool) throws(ParserUnavailable) -> [LintFinding] {
        var hits: [(rule: String, line: Int, hit: RuleHit)] = []
        let statements: [PostgresScriptSplitter.Statement]
        do {
            statements = try PostgresScriptSplitter.split(source.sql)
        } catch {
            return [finding(LintRule.syntaxErrorID, source, error.line, RuleHit(
                message: "The file cannot be split into statements: \(error.message).", why: "No statement of it can be checked, and PostgreSQL will not run it either."))]
        }
        let directives = (try? ScriptDirectives.parse(source.sql)).map { $0.merged(with: source.layoutDirectives) } ?? source.layoutDirectives
        let transactional = directives.transaction != false && !(statements.allSatisfy(\.requiresNoTransaction) && !statements.isEmpty)
        context.beginMigration(inTransaction: transactional, keepingNewTables: keepingNewTables)
        let outcomes = try PostgresParser.parseEach(statements.map(\.text))
        for (statement, outcome) in zip(statements, outcomes) {
            guard case .parsed(let trees) = outcome else {
                if case .rejected(let message, let position) = outcome {
                    let line = statement.line + statement.text.unicodeScalars.prefix(max(position - 1, 0)).filter { $0 == "\n" }.count
                    hits.append((LintRule.syntaxErrorID, line, RuleHit(
                        message: "PostgreSQL's parser rejects this statement: \(message).", why: "PostgreSQL will refuse it, so the migration fails here; nothing after it was checked against what it does.")))
                }
                continue
            }
            for tree in trees {
                let parsed = LintStatement(line: statement.line, text: statement.text, tree: tree, kind: StatementDecoder.kind(of: tree, text: statement.text))
                if case .transaction(let control) = parsed.kind {
                    switch control {
                    case .begin: context.inTransaction = true
                    case .commit, .rollback: context.inTransaction = transactional; context.endTransaction()
                    case .other: break
                    }
                    continue
                }
                for rule in rules {
                    hits += rule.statement(parsed, context).map { (rule.id, $0.line ?? parsed.line, $0) }
                }
                context.record(parsed)
                if !context.inTransaction { context.endTransaction() }
            }
        }
        for rule in rules {
            hits += rule.migrationEnd(context).map { (rule.id, $0.line ?? 1, $0) }
        }
        return report(hits, in: source, statementLines: statements.map(\.line))
    }

    /// The hits as findings, less those an ignore comment suppresses, plus the ignores that suppressed nothing.
    private func report(_ hits: [(rule: String, line: Int, hit: RuleHit)], in source: LintSource, statementLines: [Int]) -> [LintFinding] {
        var ignores = LintIgnores(sql: source.sql, statementLines: statementLines)
        var findings = hits.filter { !ignores.suppresses($0.rule, at: $0.line) }.map { finding($0.rule, source, $0.line, $0.hit) }
        if !options.disabled.contains(LintRule.unusedIgnoreID) {
            findings += ignores.unused(disabled: options.disabled).map { line, rule in
                finding(LintRule.unusedIgnoreID, source, line, RuleHit(
                    message: LintRule.ids.contains(rule) ? "`-- strata:lint-ignore \(rule)` suppresses nothing." : "`-- strata:lint-ignore \(rule)` names no rule.",
                    why: "An ignore that matches nothing hides nothing today and may hide a real finding after an edit; remove it, or put it on the line before the statement it is for."))
            }
        }
        return findings.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    private func finding(_ rule: String, _ source: LintSource, _ line: Int, _ hit: RuleHit) -> LintFinding {
        LintFinding(rule: rule, severity: severities[rule] ?? .error, path: source.path, line: line, hit: hit)
    }
}

/// A lint handed its migrations one at a time, in the order they run, each remembered only for
/// what it created: a caller that reads each file when its turn comes never holds them all
/// (the SQL and paths of 10,000 migrations were 3 MB beside the run's own).
public struct LintPass {
    private let linter: Linter
    private let oneRun: Bool
    private var context: LintContext
    private var lastWasReported = false

    /// `oneRun`: the reported sources are the pending migrations of one `migrate`, so a table
    /// one of them creates is new for those after it, as ``SafeRewriter`` sees it: nobody uses
    /// it yet, and building its index or changing its columns blocks no one. Otherwise (files
    /// linted without a database) each migration may be deployed on its own, and what an
    /// earlier one created is an existing table.
    public init(_ linter: Linter, oneRun: Bool = false) {
        self.linter = linter
        self.oneRun = oneRun
        context = LintContext(postgresVersion: linter.options.postgresVersion)
    }

    /// The findings of `source` when it is reported (none for one read only for what it creates).
    /// - Throws: ``ParserUnavailable`` when libpg_query is not installed.
    public mutating func lint(_ source: LintSource) throws(ParserUnavailable) -> [LintFinding] {
        let found = try linter.lint(source, context: &context, keepingNewTables: oneRun && source.reported && lastWasReported)
        lastWasReported = source.reported
        return source.reported ? found : []
    }
}
