/// A migration's script failed. A transactional one was rolled back; a non-transactional one
/// is recorded as failed, with what its failure left behind.
public struct MigrationFailedError: StrataError, Equatable {
    /// The migration that failed, and why it was running.
    public let step: PlannedStep
    /// The statement that failed and the database's error.
    public let failure: ScriptError
    /// The database's name for messages (`SQLite`, `PostgreSQL`).
    public let engine: String
    /// Whether it ran inside a transaction (rolled back) or outside one (recorded as failed).
    public let mode: TransactionMode
    /// For a non-transactional migration: what the failure left behind.
    public let leftovers: [Leftover]
    /// How many times it was retried after lock timeouts before this failure.
    public let retries: Int
    /// For a rewritten migration (see ``MigrationRewrite``): the recorded step that failed
    /// (1-based), where the next `migrate` resumes.
    public let failedStep: Int?

    init(step: PlannedStep, failure: ScriptError, engine: String, mode: TransactionMode = .transactional,
                leftovers: [Leftover] = [], retries: Int = 0, failedStep: Int? = nil) {
        self.failedStep = failedStep
        self.step = step
        self.failure = failure
        self.engine = engine
        self.mode = mode
        self.leftovers = leftovers
        self.retries = retries
    }

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let code = failure.code.map { " \($0)" } ?? ""
        let statement = failure.statement.isEmpty ? "" : "`\(failure.statement)` → "
        let cause = "\(statement)\(failure.code == nil && step.migration.isCode ? "" : "\(engine) error\(code): ")\(failure.message)"
            + (failure.blockedBy.map { " (blocked by \($0))" } ?? "")
            + (retries > 0 ? " after \(retries) retr\(retries == 1 ? "y" : "ies")" : "")
        let at = failure.line > 0 ? " at line \(failure.line)" : ""
        switch mode {
        case .transactional:
            return "Migration \(step.migration.path) failed\(at) and was rolled back: \(cause). "
                + "Nothing from this migration was recorded and the migrations before it stay applied; fix the file and run `strata migrate` again."
        case .nonTransactional where failedStep != nil:
            return "Migration \(step.migration.path), run in its safe form as recorded steps, failed at step \(failedStep ?? 0)\(at): \(cause). "
                + "The steps before it stay applied and recorded; fix the cause and run `strata migrate` again, which resumes at that step."
        case .nonTransactional:
            let left = leftovers.isEmpty ? "" : " It left behind \(leftovers.map(\.description).joined(separator: ", ")), which `strata repair` removes."
            return "Migration \(step.migration.path) failed\(at) outside a transaction: \(cause). "
                + "The statements before that \(step.migration.isCode ? "one" : "line") stay applied and the migration is recorded as failed.\(left) "
                + "Fix the file and the database, run `strata repair`, then `strata migrate` again."
        }
    }
}

/// A migration cannot be run as written: a bad `-- strata:` directive, a script that cannot be
/// split, or statements that cannot share a transaction.
public struct MigrationScriptError: StrataError, Equatable {
    /// The migration's file.
    public let path: String
    /// The line the problem is on, when it is on one.
    public let line: Int?
    /// What is wrong and what to do.
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        "\(path)\(line.map { ", line \($0)" } ?? ""): \(message). Nothing was migrated."
    }
}

/// The files and the history disagree; nothing was run.
public struct ValidationFailedError: StrataError, Equatable {
    /// Everything that disagrees; ``Finding/description`` says what to do about each.
    public let findings: [Finding]

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let count = findings.count == 1 ? "1 problem" : "\(findings.count) problems"
        return "Validation found \(count); nothing was migrated:\n"
            + findings.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The database already holds objects but no history, so what is applied is unknown.
public struct UnmanagedSchemaError: StrataError, Equatable {
    /// The history table that is missing.
    public let table: TableName
    /// How many tables, views, indexes and the like the schema holds.
    public let objectCount: Int

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        "The database already holds \(objectCount) object\(objectCount == 1 ? "" : "s") (tables, views, indexes…) but has no history table \(table), so Strata cannot tell which migrations were applied. "
            + "Run `strata baseline --version V` to record its current state as version V, or pass --baseline-on-migrate to record it as version 1 and migrate from there."
    }
}

/// A SQL callback failed.
public struct CallbackFailedError: StrataError, Equatable {
    /// The callback file that failed.
    public let callback: Migration
    /// The statement that failed and the database's error.
    public let failure: ScriptError
    /// The database's name for messages (`SQLite`, `PostgreSQL`).
    public let engine: String

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let code = failure.code.map { " \($0)" } ?? ""
        return "Callback \(callback.path) failed at line \(failure.line): `\(failure.statement)` → \(engine) error\(code): \(failure.message). Fix the callback and run the command again."
    }
}

/// A command failed, and then a callback of its error event (`afterMigrateError` and the like)
/// failed as well.
public struct ErrorCallbackFailedError: StrataError {
    /// The command's own failure, which is what decides the exit code.
    public let original: any Error
    /// The error callback's failure.
    public let callbackFailure: CallbackFailedError

    /// The original failure's category, so the exit code stays the one it would have been.
    public var category: ErrorCategory { (original as? any StrataError)?.category ?? .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        "\(original)\nThen the error callback failed too: \(callbackFailure)"
    }
}
