/// How the executor runs a migration in its safe form (see ``MigrationRewrite``): phase by phase,
/// each recorded in a progress table beside the history so that a rerun after a crash resumes
/// where the last one stopped.
extension Migrator {
    /// The rewrite of a step `migrate` is about to run, when there is one: SQL migrations going
    /// up, not kept beside another tool's history, whose statements run in one transaction.
    /// `newTables`: the tables the run's earlier steps created (see ``MigrationRewriting``).
    func rewrite(of step: PlannedStep, mode: TransactionMode, newTables: inout Set<String>) throws -> MigrationRewrite? {
        guard let rewriter, companion == nil, mode == .transactional, step.migration.kind != .undo, !step.migration.isCode else { return nil }
        return try rewriter.rewrite(step.migration, newTables: &newTables)
    }

    /// The safe form each step of `plan` would run in, by the migration's path: what `migrate`
    /// lints reports as rewritten. A migration with backfills runs in parts, not rewritten.
    package func rewrites(of plan: Plan) throws -> [String: MigrationRewrite] {
        var rewrites: [String: MigrationRewrite] = [:]
        var newTables: Set<String> = []
        for step in plan.steps {
            let mode = try TransactionPolicy.mode(of: step, dialect: database.dialect)
            // A backfill that cannot be batched stops `migrate` before anything runs: nothing is rewritten.
            let parts: [ScriptPart]?
            do { parts = try backfillParts(of: step) } catch { continue }
            guard parts == nil else { continue }
            rewrites[step.migration.path] = try rewrite(of: step, mode: mode, newTables: &newTables)
        }
        return rewrites
    }

    /// The table that records how far a rewritten migration got: `<history>_progress`, there
    /// only while one runs or after one was interrupted.
    var progressTable: TableName {
        TableName(schema: history.name.schema, name: history.name.name + "_progress")
    }

    /// Runs a rewritten step: the attempt recorded (failed) with its progress row first, then the
    /// phases, then the row marked successful and the progress row removed.
    func applyRewritten(
        _ step: PlannedStep, _ rewrite: MigrationRewrite, expecting expected: HistoryFingerprint, _ policy: LockRetryPolicy
    ) throws -> AppliedStep? {
        rehearsal?.note(step.migration.path + " (rewritten for live traffic, in \(rewrite.phases.count) recorded steps):\n" + rewrite.changes.joined(separator: "\n"))
        onEvent(.started(step))
        onEvent(.rewritten(step, changes: rewrite.changes))
        let user = try installedBy()
        let progress = dialect.qualified(progressTable)
        let attempt = try database.inTransaction { () throws -> Int? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            let planned = row(for: step, milliseconds: 0, success: false)
            let marked = NewHistoryRow(version: planned.version, description: planned.description, type: planned.type,
                                       script: planned.script + MigrationRewrite.historyMark, checksum: planned.checksum, executionTime: 0, success: false)
            let rank = try history.append(marked, installedBy: user, after: expected)
            try database.execute("CREATE TABLE IF NOT EXISTS \(progress) (installed_rank integer PRIMARY KEY, phases_done integer NOT NULL)")
            try database.executeBeforeCommit("INSERT INTO \(progress) (installed_rank, phases_done) VALUES (\(history.rankSQL(rank)), 0)", [])
            return rank
        }
        guard let rank = attempt else { return nil }
        progressRows += 1
        try fire(eachStep?.before)
        let milliseconds = try runPhases(of: step, rewrite, from: 0, resuming: false, rank: rank, policy)
        try fire(eachStep?.after)
        try finishRewritten(step.migration, rewrite, rank: rank, milliseconds: milliseconds)
        onEvent(.applied(step, milliseconds: milliseconds))
        return AppliedStep(step: step, milliseconds: milliseconds, installedRank: rank, installedBy: user)
    }

    /// Completes the rewritten migrations an earlier run left half done (a crash, a kill), from
    /// the first phase it did not record, before anything is planned. A migration whose file
    /// changed since is left to validation, which reports its failed row. Returns them, for the
    /// run's report.
    func resumeRewrittenMigrations(_ policy: LockRetryPolicy) throws -> [AppliedStep] {
        progressRows = 0
        guard rewriter != nil, try database.tableExists(progressTable) else { return [] }
        let rows = try database.query("SELECT installed_rank, phases_done FROM \(dialect.qualified(progressTable)) ORDER BY installed_rank", [])
        progressRows = rows.count
        let entries = try history.read()
        var finished: [AppliedStep] = []
        for row in rows {
            guard let rank = row[0].int, let done = row[1].int, let entry = entries.first(where: { $0.installedRank == rank }),
                  let (migration, rewrite) = try continuation(of: entry) else { continue }
            let step = PlannedStep(migration: migration, type: entry.type, reason: .pending)
            onEvent(.warning("\(migration.path) was interrupted after \(done) of its \(rewrite.phases.count) rewritten steps; resuming at step \(done + 1)."))
            onEvent(.started(step))
            let milliseconds = try runPhases(of: step, rewrite, from: done, resuming: true, rank: rank, policy)
            try finishRewritten(migration, rewrite, rank: rank, milliseconds: entry.executionTime + milliseconds)
            onEvent(.applied(step, milliseconds: milliseconds))
            finished.append(AppliedStep(step: step, milliseconds: milliseconds, installedRank: rank, installedBy: entry.installedBy))
        }
        return finished
    }

    /// The file and safe form a failed rewritten row is continued with: nil when its file changed
    /// or is gone since, or no longer has a safe form, and the migration cannot be continued.
    func continuation(of entry: HistoryEntry) throws -> (Migration, MigrationRewrite)? {
        guard !entry.success, entry.wasRewritten, let rewriter,
              let migration = (catalog.versioned + catalog.repeatables).first(where: {
                  $0.version == entry.version && $0.description == entry.description && $0.checksum == entry.checksum
              }),
              let rewrite = try Self.rewriteAsRecorded(migration, by: rewriter) else { return nil }
        return (migration, rewrite)
    }

    /// The safe form a failed rewritten row was recorded with: a migration rewritten at all is
    /// rewritten whatever tables the run had created before it.
    private static func rewriteAsRecorded(_ migration: Migration, by rewriter: any MigrationRewriting) throws -> MigrationRewrite? {
        var noNewTables: Set<String> = []
        return try rewriter.rewrite(migration, newTables: &noNewTables)
    }

    /// The steps done of each failed rewritten migration `migrate` would continue, by installed rank.
    func resumableRewrites(in entries: [HistoryEntry]) throws -> [Int: Int] {
        guard rewriter != nil, try database.tableExists(progressTable) else { return [:] }
        var resumable: [Int: Int] = [:]
        for row in try database.query("SELECT installed_rank, phases_done FROM \(dialect.qualified(progressTable))", []) {
            guard let rank = row[0].int, let done = row[1].int, let entry = entries.first(where: { $0.installedRank == rank }),
                  try continuation(of: entry) != nil else { continue }
            resumable[rank] = done
        }
        return resumable
    }

    private var dialect: any SQLDialect { database.dialect }

    /// Marks the row successful and removes its progress row (and its backfill's saved
    /// progress), the progress table with it when it was the last row, in one transaction:
    /// after a long phase the server may be busy with the traffic that queued meanwhile, and
    /// each round trip then waits its turn.
    private func finishRewritten(_ migration: Migration, _ rewrite: MigrationRewrite, rank: Int, milliseconds: Int) throws {
        let progress = dialect.qualified(progressTable)
        let backfills = rewrite.phases.contains { if case .backfill = $0 { true } else { false } }
        let state = BackfillStateTable(beside: history.name, database: database)
        let left = progressRows - 1
        try database.inTransaction {
            if backfills { try state.clear(script: migration.script) }
            try history.finish(rank: rank, executionTime: milliseconds, success: true)
            try database.executeBeforeCommit(left > 0 ? "DELETE FROM \(progress) WHERE installed_rank = \(history.rankSQL(rank))" : "DROP TABLE \(progress)", [])
        }
        progressRows = left
        if backfills { try state.dropIfEmpty() }
    }

    /// Runs the phases from `first` on, recording each one's completion; returns how long they
    /// took. `resuming`: an earlier run recorded the attempt and was interrupted.
    ///
    /// A phase in a transaction records itself with its `COMMIT`. The last phase outside one is
    /// recorded by ``finishRewritten(_:_:rank:milliseconds:)``, which removes the record: a run
    /// interrupted in between does that phase again, and finds its index built.
    private func runPhases(of step: PlannedStep, _ rewrite: MigrationRewrite, from first: Int, resuming: Bool, rank: Int,
                           _ policy: LockRetryPolicy) throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        let progress = dialect.qualified(progressTable)
        func recorded(_ done: Int) throws {
            try database.executeBeforeCommit("UPDATE \(progress) SET phases_done = \(done) WHERE installed_rank = \(history.rankSQL(rank))", [])
        }
        func recordedUnlessLast(_ done: Int) throws {
            if done < rewrite.phases.count { try recorded(done) }
        }
        var current = first
        do {
            for (index, phase) in rewrite.phases.enumerated() where index >= first {
                current = index
                switch phase {
                case .transaction(let sql):
                    try retryingLocks(step, policy) {
                        try database.inTransaction {
                            try runScript(sql)
                            try recorded(index + 1)
                        }
                    }
                case .outside(let sql, let indexName):
                    try setTimeouts(lockMilliseconds: 0, statementMilliseconds: policy.statementTimeoutMilliseconds ?? 0)
                    for leftover in try database.leftovers(ofFailedScript: sql) {
                        try database.execute(leftover.cleanup)
                        onEvent(.warning("\(step.migration.path): dropped \(leftover.description), left by an interrupted build, before building it again."))
                    }
                    // Interrupted between the build and its record, a run finds the valid index there already.
                    let built = try index == first && resuming && rehearsal == nil && database.tableExists(indexName)
                    if !built { try runScript(sql) }
                    try recordedUnlessLast(index + 1)
                case .backfill(let backfill):
                    // Its batches save their progress under the phase's index: a resumed run continues after the last one.
                    try runBackfill(backfill, of: step, part: index, policy)
                    try recordedUnlessLast(index + 1)
                }
            }
        } catch {
            guard let failure = (error as? ScriptError) ?? (error as? LockRetriesExhausted)?.failure ?? (error as? BackfillFailedError)?.failure else { throw error }
            let leftovers = (try? rewrite.phases.flatMap { phase -> [Leftover] in
                guard case .outside(let sql, _) = phase else { return [] }
                return try database.leftovers(ofFailedScript: sql)
            }) ?? []
            try? history.finish(rank: rank, executionTime: Int((clock.now - start) / .milliseconds(1)), success: false)
            // A phase's lines count from its own first statement, not the file's: the failing
            // statement and the step name the place instead of a wrong line.
            let unplaced = ScriptError(line: 0, statement: failure.statement, message: failure.message, code: failure.code,
                                       blockedBy: failure.blockedBy, blockers: failure.blockers)
            throw MigrationFailedError(step: step, failure: unplaced, engine: dialect.name, mode: .nonTransactional, leftovers: leftovers,
                                       failedStep: current + 1)
        }
        return Int((clock.now - start) / .milliseconds(1))
    }

    private func runScript(_ sql: String) throws(ScriptError) {
        try database.executeScript(sql)
    }
}
