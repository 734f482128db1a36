/// Where a migration stands, as `strata info` shows it.
public enum MigrationState: String, Sendable, CaseIterable {
    /// In a file, not yet applied; `migrate` will run it.
    case pending
    /// Applied and unchanged.
    case success
    /// Its last run failed; `repair` clears it after the database is fixed.
    case failed
    /// Applied, but its file is gone.
    case missing
    /// A repeatable migration whose file changed since it was applied; `migrate` runs it again.
    case outdated
    /// An earlier run of a repeatable migration that has been applied again since.
    case superseded
    /// In a file, older than the newest applied version, and out-of-order is not allowed: it will not run.
    case ignored
    /// Applied, and newer than every file (the database is ahead of this checkout).
    case future
    /// The baseline: versions at or below it count as applied.
    case baseline
    /// In a file, at or below the baseline, so it will never run here.
    case belowBaseline = "below_baseline"
    /// Applied after a newer version had already been applied.
    case outOfOrder = "out_of_order"
    /// Applied, then marked deleted by `repair` because its file was gone.
    case deleted
    /// Applied, then reverted by `undo`; the version is pending again.
    case undone
    /// In a file, a contract migration (`-- strata:phase=contract`) not yet applied: only
    /// `migrate --contract` runs it.
    case awaitingContract = "awaiting_contract"
}
