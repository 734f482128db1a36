/// What `repair` does about the progress that rewritten migrations and backfills save between
/// runs: it keeps what `migrate` can continue, and forgets what it cannot, so that the
/// migration runs again from its start.
extension Migrator {
    /// Forgets the recorded steps of a failed row `repair` removes, and its backfill's saved
    /// progress. What those steps made stays in the database, as after any migration that
    /// failed outside a transaction.
    func forgetProgress(of entry: HistoryEntry) throws -> [Leftover] {
        var forgotten: [Leftover] = []
        if try database.tableExists(progressTable) {
            let progress = database.dialect.qualified(progressTable)
            let done = try database.query("SELECT phases_done FROM \(progress) WHERE installed_rank = \(entry.installedRank)", []).first?.first?.int
            if let done {
                let cleanup = "DELETE FROM \(progress) WHERE installed_rank = \(entry.installedRank)"
                try database.execute(cleanup)
                forgotten.append(Leftover(
                    description: "the recorded steps of \(entry.script) (\(done) done; what they made stays in the database)", cleanup: cleanup))
            }
        }
        return forgotten + (try forgetBackfills(where: { $0 == entry.scriptFile }))
    }

    /// Forgets the saved progress of backfills begun on a file that has changed since (or is
    /// gone): `migrate` refuses to continue them, and the migration runs again from its start.
    func forgetStaleBackfills() throws -> [Leftover] {
        let files = Dictionary((catalog.versioned + catalog.repeatables).map { ($0.script, $0.checksum) }, uniquingKeysWith: { first, _ in first })
        let state = BackfillStateTable(beside: history.name, database: database)
        let saved = try state.savedScripts()
        return try forgetBackfills { script in
            guard let checksum = saved[script], let file = files[script] else { return true }
            return checksum != file
        }
    }

    private func forgetBackfills(where stale: (String) -> Bool) throws -> [Leftover] {
        let state = BackfillStateTable(beside: history.name, database: database)
        return try state.savedScripts().keys.sorted().filter(stale).map { script in
            try state.clear(script: script)
            return Leftover(description: "the saved backfill progress of \(script) (what its finished parts did stays in the database)",
                            cleanup: "DELETE FROM \(database.dialect.qualified(state.name)) WHERE script = \(database.dialect.literal(.text(script)))")
        }
    }

    /// Drops the tables of saved progress once nothing is left in them.
    func dropEmptyProgressTables() throws {
        try BackfillStateTable(beside: history.name, database: database).dropIfEmpty()
        guard try database.tableExists(progressTable),
              try database.query("SELECT count(*) FROM \(database.dialect.qualified(progressTable))", []).first?.first?.int == 0 else { return }
        try database.execute("DROP TABLE \(database.dialect.qualified(progressTable))")
    }
}
