import Strata
import StrataLint

/// One migration that ran, in the `--json` report of `migrate` and `undo`.
struct AppliedStepJSON: Encodable {
    let version: String?
    let description: String
    let script: String
    let executionTimeMs: Int

    init(_ migration: Migration, milliseconds: Int) {
        version = migration.version?.text
        description = migration.description
        script = migration.script
        executionTimeMs = milliseconds
    }
}

/// `strata migrate --json` and `strata undo --json`: what ran and the resulting version, or,
/// after a failure, what ran before it and the error; for `migrate`, the lint findings of the
/// migrations it was about to apply.
struct MigrateJSON: Encodable {
    let applied: [AppliedStepJSON]
    let currentVersion: String?
    let success: Bool
    let error: String?
    /// nil for `undo`, which lints nothing.
    let lint: [LintFinding]?

    init(_ report: MigrateReport, lint: [LintFinding]? = nil) {
        applied = report.applied.map { AppliedStepJSON($0.step.migration, milliseconds: $0.milliseconds) }
        currentVersion = report.currentVersion?.text
        success = true
        error = nil
        self.lint = lint
    }

    init(applied: [AppliedStepJSON], error: any Error, lint: [LintFinding]? = nil) {
        self.applied = applied
        currentVersion = nil
        success = false
        self.error = "\(error)"
        self.lint = lint
    }
}
