/// How a migration's statements are run.
public enum TransactionMode: Sendable, Equatable {
    /// In one transaction together with its history row: all or nothing.
    case transactional
    /// Statement by statement outside any transaction, because some statement cannot run in
    /// one; its history row records the attempt first and the success last.
    case nonTransactional
}

/// Decides how a migration runs from what its statements allow and what its header asks.
enum TransactionPolicy {
    /// Checks every step before the first one runs, so that a script that cannot run as
    /// written stops the whole run up front.
    static func check(_ steps: [PlannedStep], dialect: any SQLDialect) throws {
        for step in steps {
            _ = try mode(of: step, dialect: dialect)
        }
    }

    /// The mode of one step, from its SQL's statements and header. Throws when the script cannot
    /// run as written.
    static func mode(of step: PlannedStep, dialect: any SQLDialect) throws -> TransactionMode {
        let migration = step.migration
        let sql = try migration.sql
        let directives: ScriptDirectives
        do {
            directives = try ScriptDirectives.parse(sql).merged(with: migration.directives)
        } catch {
            throw MigrationScriptError(path: migration.path, line: error.line, message: "`\(error.directive)` is not a Strata directive; Strata knows `-- strata:transaction=false` and `-- strata:placeholders=false` (or `=true`), `-- strata:phase=expand` or `=contract`, and `-- strata:backfill` before an UPDATE or DELETE")
        }
        let analysis: ScriptAnalysis
        do {
            analysis = try dialect.analyze(sql)
        } catch {
            throw MigrationScriptError(path: migration.path, line: error.line, message: error.message)
        }
        return try mode(for: migration, analysis: analysis, directives: directives)
    }

    static func mode(
        for migration: Migration, analysis: ScriptAnalysis, directives: ScriptDirectives
    ) throws(TransactionPolicyError) -> TransactionMode {
        if directives.transaction == false { return .nonTransactional }
        if !analysis.transactionControlLines.isEmpty {
            throw TransactionPolicyError(migration: migration, problem: .transactionControl(lines: analysis.transactionControlLines))
        }
        let refusing = analysis.refusingTransactionLines
        if refusing.isEmpty { return .transactional }
        if directives.transaction == true {
            throw TransactionPolicyError(migration: migration, problem: .forcedTransaction(refusingLines: refusing))
        }
        if refusing.count == analysis.statementCount { return .nonTransactional }
        throw TransactionPolicyError(migration: migration, problem: .mixed(refusingLines: refusing))
    }
}

/// A migration's statements cannot run the way it would run.
public struct TransactionPolicyError: StrataError, Equatable {
    /// What keeps the statements from running as asked.
    public enum Problem: Sendable, Equatable {
        /// Statements that cannot run inside a transaction, mixed with ones that can.
        case mixed(refusingLines: [Int])
        /// The file asks for a transaction, but some statements cannot run inside one.
        case forcedTransaction(refusingLines: [Int])
        /// The file begins or ends transactions itself.
        case transactionControl(lines: [Int])
    }

    /// The migration whose statements conflict.
    public let migration: Migration
    /// What is wrong, with the lines involved.
    public let problem: Problem

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        func list(_ lines: [Int]) -> String { lines.map(String.init).joined(separator: ", ") }
        switch problem {
        case .mixed(let lines):
            return "\(migration.path) mixes statements that cannot run inside a transaction (line \(list(lines))) with ones that can. "
                + "Move them to a migration of their own, or add `-- strata:transaction=false` to the file's header to run every statement on its own, without a transaction (a failure then leaves the earlier statements applied). Nothing was migrated."
        case .forcedTransaction(let lines):
            return "\(migration.path) asks for a transaction (`-- strata:transaction=true`), but the statements at line \(list(lines)) cannot run inside one. Remove the directive or move those statements to their own migration. Nothing was migrated."
        case .transactionControl(let lines):
            return "\(migration.path) controls transactions itself (BEGIN, COMMIT or ROLLBACK at line \(list(lines))), which would end the transaction Strata runs each migration in. "
                + "Remove those statements, or add `-- strata:transaction=false` to the file's header to manage transactions yourself. Nothing was migrated."
        }
    }
}
