import Strata

/// How migrations are named in human-readable output.
enum MigrationLabels {
    static func version(_ version: MigrationVersion?) -> String {
        version?.text ?? "R"
    }

    /// `V12     add index`, `R       refresh view`: the prefix as in the file name, then the
    /// description, aligned for columns.
    static func label(_ migration: Migration) -> String {
        prefix(migration).padded(to: max(8, prefix(migration).count + 2)) + migration.description
    }

    /// `V12 add index`, for running text.
    static func shortLabel(_ migration: Migration) -> String {
        prefix(migration) + " " + migration.description
    }

    private static func prefix(_ migration: Migration) -> String {
        switch migration.kind {
        case .repeatable: "R"
        case .baseline: "B\(migration.version!)"
        case .versioned: "V\(migration.version!)"
        case .undo: "U\(migration.version!)"
        case .callback: "callback"
        }
    }

    /// A description as `info` and `history` show it: marked when its history row says the
    /// migration ran in its safe form (see ``MigrationRewrite/historyMark``).
    static func description(_ description: String, of row: HistoryEntry?) -> String {
        description + (row?.wasRewritten == true ? MigrationRewrite.historyMark : "")
    }

    static func duration(_ milliseconds: Int) -> String {
        milliseconds == 0 ? "<1 ms" : milliseconds < 10_000 ? "\(milliseconds) ms" : "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
    }
}
