/// `--dry-run`: the SQL a run would execute, touching nothing.
extension Migrator {
    /// The SQL `migrate` would run, in order, touching nothing (not even creating the history table).
    public func previewMigrate(_ options: MigrateOptions = MigrateOptions()) throws -> String {
        let exists = try history.exists()
        let entries = try history.read()
        let steps = try validatedPlan(entries, options.plan, warn: true).steps
        return try preview(steps, createHistoryTable: !exists, entries: entries, title: "migrate")
    }

    /// The SQL `undo` would run, touching nothing.
    public func previewUndo(_ request: UndoRequest = .count(1)) throws -> String {
        let entries = try history.read()
        return try preview(try UndoPlanner.plan(catalog: catalog, history: entries, request: request),
                           createHistoryTable: false, entries: entries, title: "undo")
    }

    private func preview(_ steps: [PlannedStep], createHistoryTable: Bool, entries: [HistoryEntry], title: String) throws -> String {
        ScriptWriter(statements: history.statements, installedBy: installedBy).script(
            steps: steps, modes: try TransactionPolicy.modes(for: steps, dialect: database.dialect),
            createHistoryTable: createHistoryTable, firstRank: .value(HistoryFingerprint(entries).maxRank + 1),
            header: "Strata \(title) dry run: nothing below has been run.\n\(steps.count) step\(steps.count == 1 ? "" : "s") on \(database.dialect.name), history table \(history.name)")
    }
}
