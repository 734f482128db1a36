/// `--dry-run`: the SQL a run would send, touching nothing.
extension Migrator {
    /// The SQL `migrate` would send, in order, touching nothing (not even creating the history
    /// table): timeouts, callbacks, transaction boundaries and history statements included.
    public func previewMigrate(_ options: MigrateOptions = MigrateOptions()) throws -> String {
        try rehearse(title: "migrate") { try $0.migrate(options).applied.count }
    }

    /// The SQL `undo` would send, touching nothing.
    public func previewUndo(_ request: UndoRequest = .count(1), lockRetry: LockRetryPolicy = LockRetryPolicy()) throws -> String {
        try rehearse(title: "undo") { try $0.undo(request, lockRetry: lockRetry).applied.count }
    }

    /// The SQL `adopt` would send, touching nothing.
    public func previewAdopt() throws -> String {
        try rehearse(title: "adopt") { try $0.adopt()?.rows.count ?? 0 }
    }

    /// Runs the command on a ``RecordingDatabase`` that reads from this migrator's database and
    /// writes nothing to it, and returns what it recorded.
    /// - Parameter command: runs the command and returns how many steps (or rows) it made.
    private func rehearse(title: String, _ command: (Migrator) throws -> Int) throws -> String {
        let recorder = RecordingDatabase(dialect: database.dialect, reads: database)
        // Kept beside another tool's table, a run adopts rows before it plans: the rehearsal
        // then plans on the rows it recorded, not only on those the database holds.
        let table = companion == nil ? HistoryTable(name: history.name, database: recorder)
            : HistoryTable(name: history.name, recordingTo: recorder, assuming: try history.exists() ? try history.read() : nil)
        let rehearsal = Migrator(database: recorder, catalog: catalog, history: table, installedBy: try installedBy())
        rehearsal.rehearsal = recorder
        rehearsal.companion = companion
        rehearsal.rewriter = rewriter
        rehearsal.backfillReader = backfillReader
        rehearsal.onEvent = { [onEvent] event in
            if case .warning = event { onEvent(event) }
        }
        let steps = try command(rehearsal)
        return "-- Strata \(title) dry run: nothing below has been run.\n"
            + "-- \(steps) step\(steps == 1 ? "" : "s") on \(database.dialect.name), history table \(history.name)\n"
            + recorder.script
    }
}
