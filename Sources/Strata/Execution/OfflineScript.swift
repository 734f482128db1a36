/// What `strata sql` writes without a database: the versions up to `from`, and the
/// repeatable migrations as they are now, are taken as applied (nothing when `from` is nil,
/// and the history table is created); the script goes to `to`, or back down to it with `undo`.
///
/// The script is recorded from a real run of the migrator, so it holds what `strata migrate`
/// would send: timeouts, callbacks, transaction boundaries and history statements.
public enum OfflineScript {
    /// The script that takes a database from `from` to `target` (or, with `undo`, back down to it).
    ///
    /// - Parameters:
    ///   - catalog: the migrations, with their placeholders already replaced.
    ///   - dialect: the engine the script is for.
    ///   - table: the history table the script writes.
    ///   - installedBy: recorded as `installed_by` in the history rows the script inserts.
    ///   - from: the version taken as applied, or nil for an empty database.
    ///   - target: how far to go; with `undo`, a version to go back to.
    ///   - undo: write down scripts instead of up ones.
    ///   - lockRetry: the lock and statement timeouts the script sets.
    ///   - rewriter: the safe forms of statements, as `migrate` would run them (see ``MigrationRewrite``).
    ///   - backfillReader: reads the statements marked `-- strata:backfill` (see ``Migrator/backfillReader``).
    /// - Throws: ``ConfigurationError`` when `undo` is asked for without a version to go back to, and
    ///   what `migrate` or `undo` would throw (validation findings, a missing down script).
    public static func make(
        catalog: Catalog, dialect: any SQLDialect, table: TableName, installedBy: String,
        from: MigrationVersion?, to target: MigrationTarget, undo: Bool, lockRetry: LockRetryPolicy = LockRetryPolicy(),
        rewriter: (any MigrationRewriting)? = nil, backfillReader: (any BackfillStatementReader)? = nil
    ) throws -> String {
        let applied = from.map { from in
            (catalog.versioned.filter { $0.version! <= from } + catalog.repeatables).enumerated().map { index, migration in
                HistoryEntry(
                    installedRank: index + 1, version: migration.version, description: migration.description, type: .of(migration),
                    script: migration.script, checksum: migration.checksum, installedBy: installedBy, installedOn: "",
                    executionTime: 0, success: true)
            }
        }
        let recorder = RecordingDatabase(dialect: dialect, reads: nil)
        let migrator = Migrator(database: recorder, catalog: catalog,
                                history: HistoryTable(name: table, recordingTo: recorder, assuming: applied), installedBy: installedBy)
        migrator.rehearsal = recorder
        migrator.rewriter = rewriter
        migrator.backfillReader = backfillReader
        let header: String
        let steps: Int
        if undo {
            guard case .version(let down) = target else {
                throw ConfigurationError("With --undo, --to names the version to go back to.")
            }
            steps = try migrator.undo(.target(down), lockRetry: lockRetry).applied.count
            header = "Strata: undo from \(from?.text ?? "nothing") back to \(down)"
        } else {
            steps = try migrator.migrate(MigrateOptions(plan: PlanOptions(target: target), lockRetry: lockRetry)).applied.count
            header = "Strata: migrate from \(from?.text ?? "an empty database") to \(target)"
        }
        return "-- \(header)\n-- \(dialect.name), history table \(table); \(steps) step\(steps == 1 ? "" : "s")\n" + recorder.script
    }
}
