/// A migration's script failed; its transaction was rolled back.
public struct MigrationFailedError: StrataError, Equatable {
    public let step: PlannedStep
    public let failure: ScriptError
    /// The database's name for messages (`SQLite`, `PostgreSQL`).
    public let engine: String

    public var category: ErrorCategory { .failure }

    public var description: String {
        let code = failure.code.map { " \($0)" } ?? ""
        return "Migration \(step.migration.path) failed at line \(failure.line) and was rolled back: "
            + "`\(failure.statement)` → \(engine) error\(code): \(failure.message). "
            + "Nothing from this migration was recorded and the migrations before it stay applied; fix the file and run `strata migrate` again."
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
