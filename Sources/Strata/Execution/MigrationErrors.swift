/// A migration's script failed. A transactional one was rolled back; a non-transactional one
/// is recorded as failed, with what its failure left behind.
public struct MigrationFailedError: StrataError, Equatable {
    public let step: PlannedStep
    public let failure: ScriptError
    /// The database's name for messages (`SQLite`, `PostgreSQL`).
    public let engine: String
    public let mode: TransactionMode
    /// For a non-transactional migration: what the failure left behind.
    public let leftovers: [Leftover]
    /// How many times it was retried after lock timeouts before this failure.
    public let retries: Int

    init(step: PlannedStep, failure: ScriptError, engine: String, mode: TransactionMode = .transactional,
                leftovers: [Leftover] = [], retries: Int = 0) {
        self.step = step
        self.failure = failure
        self.engine = engine
        self.mode = mode
        self.leftovers = leftovers
        self.retries = retries
    }

    public var category: ErrorCategory { .failure }

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
    public let path: String
    public let line: Int?
    public let message: String

    public var category: ErrorCategory { .failure }

    public var description: String {
        "\(path)\(line.map { ", line \($0)" } ?? ""): \(message). Nothing was migrated."
    }
}

/// The files and the history disagree; nothing was run.
public struct ValidationFailedError: StrataError, Equatable {
    public let findings: [Finding]

    public var category: ErrorCategory { .failure }

    public var description: String {
        let count = findings.count == 1 ? "1 problem" : "\(findings.count) problems"
        return "Validation found \(count); nothing was migrated:\n"
            + findings.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The database already holds objects but no history, so what is applied is unknown.
public struct UnmanagedSchemaError: StrataError, Equatable {
    public let table: TableName
    public let objectCount: Int

    public var category: ErrorCategory { .failure }

    public var description: String {
        "The database already holds \(objectCount) object\(objectCount == 1 ? "" : "s") (tables, views, indexes…) but has no history table \(table), so Strata cannot tell which migrations were applied. "
            + "Run `strata baseline --version V` to record its current state as version V, or pass --baseline-on-migrate to record it as version 1 and migrate from there."
    }
}

/// A SQL callback failed.
public struct CallbackFailedError: StrataError, Equatable {
    public let callback: Migration
    public let failure: ScriptError
    public let engine: String

    public var category: ErrorCategory { .failure }

    public var description: String {
        let code = failure.code.map { " \($0)" } ?? ""
        return "Callback \(callback.path) failed at line \(failure.line): `\(failure.statement)` → \(engine) error\(code): \(failure.message). Fix the callback and run the command again."
    }
}

/// A command failed, and then a callback of its error event (`afterMigrateError` and the like)
/// failed as well.
public struct ErrorCallbackFailedError: StrataError {
    public let original: any Error
    public let callbackFailure: CallbackFailedError

    public var category: ErrorCategory { (original as? any StrataError)?.category ?? .failure }

    public var description: String {
        "\(original)\nThen the error callback failed too: \(callbackFailure)"
    }
}
