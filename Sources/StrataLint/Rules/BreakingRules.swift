/// Rules about changes that break the application code already running against the table.
extension LintRule {
    private static let expandContract = "Deploy code that no longer uses the old name first, or add the new one, write both, move reads, then remove the old."

    static let renameColumn = LintRule(
        "rename-column", .error, "Renaming a column breaks the running application's queries."
    ) { statement, context in
        guard case .renameColumn(let table, let from, let to) = statement.kind, existing(table, context) != nil else { return [] }
        return [RuleHit(
            message: "Renames \(table).\(from) to \(to).",
            lock: .accessExclusive, table: table.description,
            why: "Every query of the version still running that names \(from) fails from the moment this commits.",
            safeSQL: """
                ALTER TABLE \(table) ADD COLUMN \(SQLName.quoted(to)) <type>;
                -- write both columns, backfill, switch reads to \(to), then drop \(from)
                """)]
    }

    static let renameTable = LintRule(
        "rename-table", .error, "Renaming a table breaks the running application's queries."
    ) { statement, context in
        guard case .renameTable(let table, let to) = statement.kind, existing(table, context) != nil else { return [] }
        return [RuleHit(
            message: "Renames \(table) to \(to).",
            lock: .accessExclusive, table: table.description,
            why: "Every query of the version still running that names \(table) fails from the moment this commits.",
            safeSQL: """
                ALTER TABLE \(table) RENAME TO \(SQLName.quoted(to));
                CREATE VIEW \(table) AS SELECT * FROM \(SQLName.quoted(to));  -- simple views accept writes; drop it once no code uses the old name
                """)]
    }

    static let dropColumn = LintRule(
        "drop-column", .warning, "Dropping a column breaks code that still reads it."
    ) { statement, context in
        alterations(statement, context) { if case .dropColumn(let column) = $0 { column } else { nil } }.map { table, column in
            RuleHit(
                message: "Drops \(table).\(column).",
                lock: .accessExclusive, table: table.description,
                why: "The version still running fails on every query that names \(column) (and ORMs that list columns fail on all of them). \(expandContract)")
        }
    }

    static let dropTable = LintRule(
        "drop-table", .warning, "Dropping a table breaks code that still reads it, and its data is gone."
    ) { statement, context in
        guard case .drop(.table, let tables, _) = statement.kind else { return [] }
        return tables.filter { existing($0, context) != nil }.map { table in
            RuleHit(
                message: "Drops \(table).",
                lock: .accessExclusive, table: table.description,
                why: "Its rows are gone for good, and the version still running fails on every query that names it. Drop it only once no deployed code uses it.")
        }
    }
}
