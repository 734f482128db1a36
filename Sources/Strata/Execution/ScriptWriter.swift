/// Writes the SQL a run executes, in order, with its transaction boundaries and its history
/// statements: what `--dry-run` prints and what `strata sql` hands a DBA to apply with `psql`
/// or `sqlite3`. Applying it leaves the database as the run would have, history included.
public struct ScriptWriter {
    public let statements: HistoryStatements
    public let installedBy: String

    public init(statements: HistoryStatements, installedBy: String) {
        self.statements = statements
        self.installedBy = installedBy
    }

    private var dialect: any SQLDialect { statements.dialect }

    /// - Parameters:
    ///   - createHistoryTable: start with the history table's DDL (a database without one).
    ///   - firstRank: the rank of the first new row, when the history is known; `.next` lets
    ///     each statement compute it.
    public func script(
        steps: [PlannedStep], modes: StepModes, createHistoryTable: Bool, firstRank: HistoryRank, header: String
    ) -> String {
        var out = header.split(separator: "\n").map { "-- \($0)\n" }.joined()
        if createHistoryTable {
            out += "\n" + dialect.createHistoryTable(statements.table).map { $0 + ";\n" }.joined()
        }
        for (index, step) in steps.enumerated() {
            let rank: HistoryRank = if case .value(let first) = firstRank { .value(first + index) } else { .next }
            let migration = step.migration
            let row = NewHistoryRow(
                version: migration.version, description: migration.description, type: step.type,
                script: migration.script, checksum: migration.checksum, executionTime: 0, success: true)
            let mode = modes[step]
            out += "\n-- \(migration.path)\(mode == .nonTransactional ? " (outside a transaction)" : "")\n"
            switch mode {
            case .transactional:
                out += "BEGIN;\n" + Self.terminated(migration.sql)
                out += dialect.render(statements.insert(row, installedBy: installedBy, rank: rank)) + ";\nCOMMIT;\n"
            case .nonTransactional:
                let attempt = NewHistoryRow(
                    version: row.version, description: row.description, type: row.type, script: row.script,
                    checksum: row.checksum, executionTime: 0, success: false)
                out += dialect.render(statements.insert(attempt, installedBy: installedBy, rank: rank)) + ";\n"
                out += Self.terminated(migration.sql)
                out += dialect.render(statements.finish(rank: rank, executionTime: 0, success: true)) + ";\n"
            }
        }
        return out
    }

    /// A script that surely ends its last statement, on a line of its own so that a trailing
    /// comment cannot swallow the `;`.
    static func terminated(_ sql: String) -> String {
        let trimmed = SQLText.trimmed(sql)
        if trimmed.isEmpty { return "" }
        return trimmed.hasSuffix(";") ? trimmed + "\n" : trimmed + "\n;\n"
    }
}
