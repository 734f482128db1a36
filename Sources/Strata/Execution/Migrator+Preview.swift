/// `--dry-run`: the SQL a run would send, touching nothing.
extension Migrator {
    /// The SQL `migrate` would send, in order, touching nothing (not even creating the history
    /// table): timeouts, callbacks, transaction boundaries and history statements included.
    public func previewMigrate(_ options: MigrateOptions = MigrateOptions()) throws -> String {
        try rehearse(title: "migrate") { try $0.migrate(options) }
    }

    /// The SQL `undo` would send, touching nothing.
    public func previewUndo(_ request: UndoRequest = .count(1), lockRetry: LockRetryPolicy = LockRetryPolicy()) throws -> String {
        try rehearse(title: "undo") { try $0.undo(request, lockRetry: lockRetry) }
    }

    /// Runs the command on a ``RecordingDatabase`` that reads from this migrator's database and
    /// writes nothing to it, and returns what it recorded.
    private func rehearse(title: String, _ command: (Migrator) throws -> MigrateReport) throws -> String {
        let recorder = RecordingDatabase(dialect: database.dialect, reads: database)
        let rehearsal = Migrator(database: recorder, catalog: catalog, history: HistoryTable(name: history.name, database: recorder),
                                 installedBy: try installedBy())
        rehearsal.rehearsal = recorder
        rehearsal.onEvent = { [onEvent] event in
            if case .warning = event { onEvent(event) }
        }
        let steps = try command(rehearsal).applied.count
        return "-- Strata \(title) dry run: nothing below has been run.\n"
            + "-- \(steps) step\(steps == 1 ? "" : "s") on \(database.dialect.name), history table \(history.name)\n"
            + recorder.script
    }
}
