/// One change to the other tool's table.
enum CompanionWrite: Sendable, Equatable {
    /// golang-migrate's table holds exactly this row (none for nil).
    case setGolangMigrate(GolangMigrateRow?)
    /// dbmate's table gains this version.
    case insertDbmate(String)
    /// dbmate's table loses this version.
    case deleteDbmate(String)
}

/// What the other tool's table goes through around one step.
struct CompanionStep: Sendable, Equatable {
    /// Written, and committed, before a step that runs outside a transaction: golang-migrate's
    /// dirty mark, which a failure leaves behind.
    let beforeRun: CompanionWrite?
    /// Written with the step's history row: in its transaction, or after it succeeded.
    let withStep: [CompanionWrite]
}

/// What the other tool's table must hold before a run and after each step, decided from the
/// files and the histories alone (no database), the way that tool itself would write it.
enum Coexistence {
    /// How a run starts: what to adopt from the other table, and what to write to a table
    /// that is missing or empty so that it agrees with Strata's history.
    struct Reconciliation: Sendable, Equatable {
        let adoption: Adoption?
        /// The table is missing and is created as its tool creates it.
        let createsTable: Bool
        let writes: [CompanionWrite]
    }

    /// - Parameter found: the other table's content, or nil when it does not exist.
    static func reconcile(
        _ tool: CompanionHistory, found: ForeignHistory?, catalog: Catalog, history: [HistoryEntry]
    ) throws(CoexistenceError) -> Reconciliation {
        guard let found else {
            return Reconciliation(adoption: nil, createsTable: true, writes: try initialWrites(tool, Planner.plan(catalog: catalog, history: history)))
        }
        let empty: Bool
        switch (tool, found) {
        case (.golangMigrate, .golangMigrate(let row)): empty = row == nil
        case (.dbmate, .dbmate(let versions)): empty = versions.isEmpty
        default: throw .wrongTable(expected: tool, table: TableName(schema: nil, name: CompanionHistory.defaultTable), columns: found.columns)
        }
        let adoption = try Adoption.decide(found: found, catalog: catalog, history: history)
        let writes = empty ? try initialWrites(tool, Planner.plan(catalog: catalog, history: history)) : []
        return Reconciliation(adoption: adoption.rows.isEmpty ? nil : adoption, createsTable: false, writes: writes)
    }

    /// What a table that has no rows yet must hold to agree with Strata's history.
    private static func initialWrites(_ tool: CompanionHistory, _ plan: Plan) throws(CoexistenceError) -> [CompanionWrite] {
        switch tool {
        case .golangMigrate: try GolangMigrateRow.settled(at: plan.currentVersion).map { [.setGolangMigrate($0)] } ?? []
        case .dbmate: plan.appliedVersions.sorted().map { .insertDbmate($0.text) }
        }
    }

    /// What one step writes to the other table. golang-migrate's row follows Strata's current
    /// version (`versionAfter`): marked dirty before a step outside a transaction, clean with
    /// the step. dbmate's table gains a migration's version and loses an undone one.
    static func effects(
        of step: PlannedStep, tool: CompanionHistory, mode: TransactionMode, versionAfter: MigrationVersion?
    ) throws(CoexistenceError) -> CompanionStep {
        guard let version = step.migration.version else { return CompanionStep(beforeRun: nil, withStep: []) }
        switch tool {
        case .golangMigrate:
            let dirty = mode == .nonTransactional ? CompanionWrite.setGolangMigrate(try .dirty(towards: versionAfter)) : nil
            return CompanionStep(beforeRun: dirty, withStep: [.setGolangMigrate(try .settled(at: versionAfter))])
        case .dbmate:
            return CompanionStep(beforeRun: nil, withStep: [step.reason == .undo ? .deleteDbmate(version.text) : .insertDbmate(version.text)])
        }
    }

    /// Strata's current version once `step` is recorded on top of `history`.
    static func versionAfter(_ step: PlannedStep, catalog: Catalog, history: [HistoryEntry]) -> MigrationVersion? {
        let row = NewHistoryRow(
            version: step.migration.version, description: step.migration.description, type: step.type,
            script: step.migration.script, checksum: step.migration.checksum, executionTime: 0, success: true)
        let rank = (history.map(\.installedRank).max() ?? 0) + 1
        return Planner.plan(catalog: catalog, history: history + [HistoryEntry(row, rank: rank, installedBy: "")]).currentVersion
    }
}

extension ForeignHistory {
    /// The columns its tool's table has, for messages.
    var columns: [String] {
        switch self {
        case .golangMigrate: ["version", "dirty"]
        case .dbmate: ["version"]
        case .flyway: ["installed_rank", "version", "…"]
        }
    }
}
