/// Living beside another tool's history: finding it, adopting what it applied, and keeping
/// its table in line as Strata runs.
extension Migrator {
    var companionTable: CompanionTable { CompanionTable(beside: history.name, database: database) }

    /// Another tool's history in this database: golang-migrate's or dbmate's
    /// `schema_migrations`, or Flyway's table under its default name when Strata's is another.
    public func foreignHistory() throws -> ForeignHistory? {
        if let found = try companionTable.read() { return found }
        let flyway = TableName(schema: history.name.schema, name: "flyway_schema_history")
        guard history.name != flyway, try database.tableExists(flyway) else { return nil }
        return .flyway(flyway)
    }

    /// What ``adopt()`` would record from the history found. Changes nothing.
    /// - Throws: ``CoexistenceError`` when it cannot be adopted as it is.
    public func adoption(of found: ForeignHistory) throws -> Adoption {
        try Adoption.decide(found: found, catalog: catalog, history: try history.read())
    }

    /// Records in Strata's history (creating it) what another tool applied: every version at or
    /// below golang-migrate's, or each version dbmate lists, with its file's checksum.
    /// - Throws: ``CoexistenceError`` for a dirty golang-migrate database, a history behind
    ///   Strata's, or Flyway's table (read in place with `--table`).
    @discardableResult
    public func adopt() throws -> Adoption? {
        try locked {
            try database.inTransaction {
                guard let found = try foreignHistory() else { return nil }
                let adoption = try adoption(of: found)
                if try !history.exists() {
                    try history.create()
                    onEvent(.historyTableCreated(history.name))
                }
                try record(adoption)
                return adoption
            }
        }
    }

    /// Adopts what the other tool applied since Strata last ran, creates its table when it is
    /// missing and fills a new one from Strata's history. Runs in the caller's transaction.
    func reconcile(_ tool: CompanionHistory, found: ForeignHistory?) throws {
        let reconciliation = try Coexistence.reconcile(tool, found: found, catalog: catalog, history: try history.read())
        if let adoption = reconciliation.adoption { try record(adoption) }
        if reconciliation.createsTable { try companionTable.create(tool) }
        try companionTable.write(reconciliation.writes)
    }

    /// What one step writes to the other tool's table; nil when none is kept.
    func companionStep(_ step: PlannedStep, mode: TransactionMode, history entries: [HistoryEntry]) throws -> CompanionStep? {
        guard let companion else { return nil }
        let after = companion == .golangMigrate ? Coexistence.versionAfter(step, catalog: catalog, history: entries) : nil
        return try Coexistence.effects(of: step, tool: companion, mode: mode, versionAfter: after)
    }

    /// After `repair` removed failed runs, golang-migrate's dirty mark goes too: its row is set
    /// to the version Strata's history is at.
    func settleGolangMigrate(after report: RepairReport) throws {
        guard companion == .golangMigrate,
              report.actions.contains(where: { if case .removeFailed = $0 { true } else { false } }),
              try database.tableExists(companionTable.name)
        else { return }
        let current = Planner.plan(catalog: catalog, history: try history.read()).currentVersion
        try database.inTransaction { try companionTable.write([.setGolangMigrate(try .settled(at: current))]) }
    }

    private func record(_ adoption: Adoption) throws {
        guard !adoption.rows.isEmpty else { return }
        let user = try installedBy()
        var fingerprint = HistoryFingerprint(try history.read())
        for row in adoption.rows {
            let rank = try history.append(row, installedBy: user, after: fingerprint)
            fingerprint = HistoryFingerprint(count: fingerprint.count + 1, maxRank: rank)
        }
        onEvent(.adopted(adoption))
    }
}
