import Strata

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
/// after a failure, what ran before it and the error.
struct MigrateJSON: Encodable {
    let applied: [AppliedStepJSON]
    let currentVersion: String?
    let success: Bool
    let error: String?

    init(_ report: MigrateReport) {
        applied = report.applied.map { AppliedStepJSON($0.step.migration, milliseconds: $0.milliseconds) }
        currentVersion = report.currentVersion?.text
        success = true
        error = nil
    }

    init(applied: [AppliedStepJSON], error: any Error) {
        self.applied = applied
        currentVersion = nil
        success = false
        self.error = "\(error)"
    }
}
