/// What `strata sql` writes without a database: the versions up to `from`, and the
/// repeatable migrations as they are now, are taken as applied (nothing when `from` is nil,
/// and the history table is created); the script goes to `to`, or back down to it with `undo`.
public enum OfflineScript {
    public static func make(
        catalog: Catalog, dialect: any SQLDialect, table: TableName, installedBy: String,
        from: MigrationVersion?, to target: MigrationTarget, undo: Bool
    ) throws -> String {
        let applied = from.map { from in
            (catalog.versioned.filter { $0.version! <= from } + catalog.repeatables).enumerated().map { index, migration in
                HistoryEntry(
                    installedRank: index + 1, version: migration.version, description: migration.description, type: .sql,
                    script: migration.script, checksum: migration.checksum, installedBy: installedBy, installedOn: "",
                    executionTime: 0, success: true)
            }
        } ?? []
        let steps: [PlannedStep]
        let header: String
        if undo {
            guard case .version(let down) = target else {
                throw ConfigurationError("With --undo, --to names the version to go back to.")
            }
            steps = try UndoPlanner.plan(catalog: catalog, history: applied, request: .target(down))
            header = "Strata: undo from \(from?.text ?? "nothing") back to \(down)"
        } else {
            steps = Planner.plan(catalog: catalog, history: applied, options: PlanOptions(target: target)).steps
            header = "Strata: migrate from \(from?.text ?? "an empty database") to \(target)"
        }
        return ScriptWriter(statements: HistoryStatements(table: table, dialect: dialect), installedBy: installedBy).script(
            steps: steps, modes: try TransactionPolicy.modes(for: steps, dialect: dialect),
            createHistoryTable: from == nil && !undo, firstRank: .next,
            header: header + "\n\(dialect.name), history table \(table); \(steps.count) step\(steps.count == 1 ? "" : "s")")
    }
}
