/// How the migrator runs a migration that holds batched backfills: its plain parts each in a
/// transaction, its backfills batch by batch, every part's progress in the state table, and
/// the history row only when everything is done.
extension Migrator {
    /// The parts of a step's script when it marks backfills, or nil for a plain script. Also
    /// checks, before anything runs, that each marked statement can be batched.
    func backfillParts(of step: PlannedStep) throws -> [ScriptPart]? {
        let migration = step.migration
        guard !migration.isCode, let parts = try BackfillScript.parts(of: try migration.sql, path: migration.path, dialect: database.dialect) else { return nil }
        for case .backfill(let statement, let line) in parts {
            _ = try readBackfill(statement, path: migration.path, line: line)
        }
        return parts
    }

    func readBackfill(_ statement: String, path: String, line: Int) throws -> Backfill {
        guard let backfillReader else {
            throw MigrationScriptError(path: path, line: line, message: "`-- strata:backfill` needs PostgreSQL's parser to read the statement; run it with `strata`, or set the migrator's backfillReader (StrataLint's PostgresBackfillReader)")
        }
        do throws(BackfillStatementError) {
            return try backfillReader.backfill(from: statement)
        } catch {
            throw MigrationScriptError(path: path, line: line, message: "the statement marked `-- strata:backfill` cannot run in batches: \(error.message)")
        }
    }

    /// Runs a step part by part, skipping the parts an earlier run finished. Returns nil, having
    /// recorded nothing in the history, when another process wrote to the history since `expected`.
    /// The other tool's table, when one is kept, is written with the history row at the end, as
    /// for a migration in one transaction: a dirty mark would stop the next run from continuing.
    func applyInParts(_ step: PlannedStep, parts: [ScriptPart], mode: TransactionMode, expecting expected: HistoryFingerprint,
                      _ policy: LockRetryPolicy, companion: CompanionStep? = nil) throws -> AppliedStep? {
        rehearsal?.note(step.migration.path + " (in parts: plain statements each in a transaction of their own, backfills in batches)")
        onEvent(.started(step))
        let migration = step.migration
        let state = BackfillStateTable(beside: history.name, database: database)
        guard try historyIsUnchanged(since: expected) else { return nil }
        try state.create()
        let saved = try state.read(script: migration.script)
        if saved.contains(where: { $0.checksum != migration.checksum }) {
            throw MigrationScriptError(path: migration.path, line: nil, message: "the file changed since its backfill began, so the parts already done may not match it; restore the file, or run `strata repair` to forget its saved progress (and undo what its finished parts did) to start it over")
        }
        let clock = ContinuousClock()
        let start = clock.now
        try fire(eachStep?.before)
        for (index, part) in parts.enumerated() {
            let record = saved.first { $0.part == index }
            if record?.finished == true { continue }
            switch part {
            case .script(let sql):
                try runScriptPart(sql, step: step, part: index, state: state, transactional: mode == .transactional, policy)
            case .backfill(let statement, let line):
                let backfill = try readBackfill(statement, path: migration.path, line: line)
                try runBackfill(backfill, of: step, part: index, line: line, resuming: record, state: state, policy)
            }
        }
        try fire(eachStep?.after)
        let milliseconds = Int((clock.now - start) / .milliseconds(1))
        let user = try installedBy()
        let rank = try database.inTransaction { () throws -> Int? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            let rank = try history.append(row(for: step, milliseconds: milliseconds, success: true), installedBy: user, after: expected)
            try companionTable.write(companion?.withStep ?? [])
            try state.clear(script: migration.script)
            return rank
        }
        guard let rank else { return nil }
        try state.dropIfEmpty()
        onEvent(.applied(step, milliseconds: milliseconds))
        return AppliedStep(step: step, milliseconds: milliseconds, installedRank: rank, installedBy: user)
    }

    /// Plain statements between backfills: in one transaction with their state row, retried on
    /// lock timeouts as a migration is.
    private func runScriptPart(_ sql: String, step: PlannedStep, part: Int, state: BackfillStateTable, transactional: Bool,
                               _ policy: LockRetryPolicy) throws {
        let migration = step.migration
        func markDone() throws {
            try state.save(script: migration.script, checksum: migration.checksum, part: part, position: nil, rows: 0, finished: true)
        }
        guard transactional else {
            try setTimeouts(lockMilliseconds: 0, statementMilliseconds: 0)
            do throws(ScriptError) {
                try database.executeScript(sql)
            } catch {
                throw BackfillFailedError(step: step, failure: error, engine: database.dialect.name, rows: 0)
            }
            return try markDone()
        }
        var failures = 0
        while true {
            try setTimeouts(lockMilliseconds: policy.lockTimeout(afterFailures: failures), statementMilliseconds: policy.statementTimeoutMilliseconds ?? 0)
            do {
                return try database.inTransaction {
                    try database.executeScript(sql)
                    try markDone()
                }
            } catch let error as ScriptError {
                failures += 1
                guard database.dialect.isLockTimeout(error), policy.allowsRetry(afterFailures: failures) else {
                    throw BackfillFailedError(step: step, failure: error, engine: database.dialect.name, rows: 0)
                }
                let pause = policy.backoff(afterFailures: failures, jitter: jitter())
                onEvent(.lockRetry(step, failures: failures, pauseMilliseconds: pause,
                                   nextLockTimeoutMilliseconds: policy.lockTimeout(afterFailures: failures), blockedBy: error.blockedBy))
                sleep(.milliseconds(pause))
            }
        }
    }

    /// Runs one backfill of a step's migration in batches, from where an earlier run left it:
    /// the entry point for anything that turns a statement into a backfill (a safe rewrite,
    /// say). `part` is its place among the migration's parts, the key of its saved progress;
    /// the caller records the migration applied afterwards and then clears its saved parts with
    /// ``clearBackfillState(of:)``.
    package func runBackfill(_ backfill: Backfill, of step: PlannedStep, part: Int, line: Int = 0, _ policy: LockRetryPolicy) throws {
        let state = BackfillStateTable(beside: history.name, database: database)
        try state.create()
        let saved = try state.read(script: step.migration.script).first { $0.part == part }
        guard saved?.finished != true else { return }
        try runBackfill(backfill, of: step, part: part, line: line, resuming: saved, state: state, policy)
    }

    /// Forgets a migration's saved backfill progress, and the state table once it is empty.
    package func clearBackfillState(of migration: Migration) throws {
        let state = BackfillStateTable(beside: history.name, database: database)
        try state.clear(script: migration.script)
        try state.dropIfEmpty()
    }

    /// Runs one backfill in batches from where `saved` left it, each batch one transaction that
    /// also saves its last key, throttled by ``BackfillThrottle``.
    func runBackfill(_ backfill: Backfill, of step: PlannedStep, part: Int, line: Int, resuming saved: BackfillStateTable.Row?,
                             state: BackfillStateTable, _ policy: LockRetryPolicy) throws {
        let migration = step.migration
        if let rehearsal {
            // A dry run reads no table (it may not exist yet): what the batches do together, in one.
            rehearsal.note("backfill\(line > 0 ? " at line \(line)" : "") of \(backfill.table): runs in short batches by primary key (ctid without one), "
                           + "each its own transaction that saves its last key in \(state.name); together they do:")
            return try database.inTransaction {
                try database.execute(backfill.statement(in: database.dialect))
                try state.save(script: migration.script, checksum: migration.checksum, part: part, position: nil, rows: 0, finished: true)
            }
        }
        let statements = BackfillStatements(backfill: backfill, keyset: try keyset(of: backfill, step: step, line: line), dialect: database.dialect)
        let isPostgres = database.dialect is PostgresDialect
        var throttle = BackfillThrottle(settings: backfillSettings)
        var position = saved?.position
        func warn(_ caveat: CtidCursor.Caveat?) {
            if let caveat { onEvent(.warning(ctidWarning(caveat, backfill, of: step, line: line))) }
        }
        // Where a walk by ctid stands, read once from the saved position and then carried from
        // batch to batch (nil for a key).
        var cursor: CtidCursor?
        do {
            cursor = try statements.ctidCursor(at: position)
            warn(cursor?.caveat(since: nil))
        } catch {
            throw UnreadableBackfillStateError(step: step, line: line, table: backfill.table, stateTable: state.name, position: error.position,
                                               forgetting: "DELETE FROM \(database.dialect.qualified(state.name)) WHERE script = \(database.dialect.literal(.text(step.migration.script))) AND part = \(part)")
        }
        var rows = saved?.rows ?? 0
        let estimated = try estimatedRows(statements, after: position).map { $0 + rows }
        let clock = ContinuousClock()
        let start = clock.now
        var lastReport = start
        var lastLagCheck = start - .seconds(1)
        var lastWaiterCount: ContinuousClock.Instant?
        var lastCountFoundWaiters = false
        var failures = 0
        func report(finished: Bool, lag: Int? = nil) {
            let seconds = Double((clock.now - start) / .milliseconds(1)) / 1000
            let rate = seconds > 0 ? Double(rows - (saved?.rows ?? 0)) / seconds : 0
            onEvent(.backfillProgress(step, BackfillProgress(
                table: backfill.table, line: line, rows: rows, estimatedRows: estimated, rowsPerSecond: rate,
                batchSize: throttle.batchSize, replicaLagMilliseconds: lag, finished: finished,
                busySessions: throttle.busySessions, busyLimit: throttle.busyLimit, sweep: cursor?.walk ?? 0)))
            lastReport = clock.now
        }
        func failed(_ error: DatabaseError) -> BackfillFailedError {
            BackfillFailedError(step: step, failure: ScriptError(line: line, statement: SQLText.firstLine(of: error.sql ?? ""), message: error.message, code: error.code),
                                engine: database.dialect.name, rows: rows)
        }
        while true {
            // The lag is read at most once a second while the replicas keep up: a query less per batch.
            if isPostgres && backfillSettings.maximumReplicaLagMilliseconds != nil && clock.now - lastLagCheck >= .seconds(1) {
                let lag = try replicaLag()
                lastLagCheck = clock.now
                if let pause = throttle.replicaPause(lagMilliseconds: lag) {
                    lastLagCheck = clock.now - .seconds(1)
                    if clock.now - lastReport >= .seconds(1) { report(finished: false, lag: lag) }
                    sleep(.milliseconds(pause))
                    continue
                }
            }
            try setTimeouts(lockMilliseconds: policy.lockTimeout(afterFailures: failures), statementMilliseconds: policy.statementTimeoutMilliseconds ?? 0)
            let size = throttle.batchSize
            let batchStart = clock.now
            let countsWaiters = isPostgres && throttle.countsWaiters(
                millisecondsSinceLastCount: lastWaiterCount.map { Int((batchStart - $0) / .milliseconds(1)) }, lastCountFoundWaiters: lastCountFoundWaiters)
            let outcome: BatchOutcome
            do {
                let progress = state.progressRow(script: migration.script, checksum: migration.checksum, part: part, rowsBefore: rows)
                if let walking = statements.walkingBatch(after: position, size: size, saving: progress, countingWaiters: countsWaiters,
                                                         countingBusySessions: throttle.busyLimit != nil) {
                    // One statement; in a transaction all the same, so that a statement still
                    // running when strata is killed rolls back instead of committing behind a
                    // resumed run that would then change its rows twice.
                    outcome = try database.inTransaction {
                        let row = try database.query(walking.sql, walking.arguments).first ?? []
                        try commitsDurably()
                        return BatchOutcome(walking: row, size: size)
                    }
                } else {
                    outcome = try batchInTransaction(statements, after: position, cursor: cursor, size: size, progress: progress, state: state,
                                                     countingWaiters: countsWaiters, countingBusySessions: throttle.busyLimit != nil)
                }
            } catch let error as DatabaseError {
                failures += 1
                let failure = ScriptError(line: line, statement: "", message: error.message, code: error.code)
                guard database.dialect.isLockTimeout(failure), policy.allowsRetry(afterFailures: failures) else { throw failed(error) }
                let decision = throttle.next(afterLockTimeout: failures, backoffMilliseconds: policy.backoff(afterFailures: failures, jitter: jitter()))
                onEvent(.lockRetry(step, failures: failures, pauseMilliseconds: decision.pauseMilliseconds,
                                   nextLockTimeoutMilliseconds: policy.lockTimeout(afterFailures: failures), blockedBy: nil))
                sleep(.milliseconds(decision.pauseMilliseconds))
                continue
            }
            failures = 0
            if countsWaiters { (lastWaiterCount, lastCountFoundWaiters) = (batchStart, outcome.blocked > 0) }
            rows += outcome.changed
            if let after = outcome.ctid {
                warn(after.caveat(since: cursor))
                cursor = after
            }
            guard let end = outcome.end else { break }
            position = end
            // The batch size counts keys walked, changed or not, so the speed is measured in keys too.
            let decision = throttle.next(after: BatchMeasurement(
                rows: outcome.walked, milliseconds: Int((clock.now - batchStart) / .milliseconds(1)), blockedSessions: outcome.blocked,
                busySessions: outcome.busy))
            if clock.now - lastReport >= .seconds(1) { report(finished: false) }
            if decision.pauseMilliseconds > 0 { sleep(.milliseconds(decision.pauseMilliseconds)) }
        }
        report(finished: true)
    }

    /// The warning for a caveat of a backfill that walks a table without a primary key (see ``CtidCursor``).
    private func ctidWarning(_ caveat: CtidCursor.Caveat, _ backfill: Backfill, of step: PlannedStep, line: Int) -> String {
        let place = step.migration.path + (line > 0 ? " line \(line)" : "")
        switch caveat {
        case .cannotSweep:
            return "\(place): \(backfill.table) has no primary key, so its backfill walks the table by ctid, "
                + "and a row the application updates meanwhile can move behind the walk and be missed, or ahead of it and be changed twice. "
                + "Strata sweeps the table again for such rows only when the statement's WHERE tells the rows it changed from the rest, and this one has no WHERE, "
                + "or rows it changed still match it. Give the table a primary key, or add a WHERE that the SET makes false."
        case .mayHaveMissedRows(let sweeps, let changed):
            return "\(place): the backfill of \(backfill.table) swept the table \(sweeps) times for rows the application moved behind its walk "
                + "(the table has no primary key), and the last sweep still changed \(changed); some may remain. "
                + "Run the statement once more when the application is quiet, or give the table a primary key."
        }
    }

    /// What one committed batch did.
    private struct BatchOutcome {
        /// The last key it walked; nil after the last batch.
        let end: [String]?
        let changed: Int
        /// Sessions found waiting for its locks.
        let blocked: Int
        /// Keys it walked, changed or not.
        let walked: Int
        /// Where a `ctid` walk stands after it.
        var ctid: CtidCursor?
        /// The application's busy sessions as it ended (PostgreSQL).
        var busy: Int?

        init(end: [String]?, changed: Int, blocked: Int, walked: Int, ctid: CtidCursor? = nil, busy: Int? = nil) {
            (self.end, self.changed, self.blocked, self.walked, self.ctid, self.busy) = (end, changed, blocked, walked, ctid, busy)
        }

        /// From the row of ``BackfillStatements/walkingBatch(after:size:saving:)``: fewer keys
        /// than asked for means none are left.
        init(walking row: SQLRow, size: Int) {
            func int(_ column: Int) -> Int { row.value(at: column)?.int ?? 0 }
            walked = int(0)
            changed = int(1)
            blocked = int(4)
            busy = row.value(at: 5)?.int
            end = walked < size || row.count < 3 ? nil : row[2].string.map(BackfillPosition.decode)
        }
    }

    /// A batch as separate statements in one transaction (SQLite, and `ctid` ranges from `cursor`),
    /// its progress saved with the commit.
    private func batchInTransaction(_ statements: BackfillStatements, after position: [String]?, cursor: CtidCursor?, size: Int,
                                    progress: BackfillProgressRow, state: BackfillStateTable, countingWaiters: Bool,
                                    countingBusySessions: Bool) throws -> BatchOutcome {
        let isPostgres = database.dialect is PostgresDialect
        return try database.inTransaction {
            // The batch's end, the position saved after it, and whether no rows are left after it.
            let end: [String]?, saved: [String]?, isLast: Bool, changed: Int
            var walk: CtidCursor?, busy: Int?
            if let cursor, let blocks = statements.blockBoundary(from: cursor, size: size),
               let batch = statements.ctidBatch(from: cursor, through: blocks.end, countingBusySessions: countingBusySessions) {
                let row = try database.query(batch.sql, batch.arguments).first ?? []
                changed = row.value(at: 0)?.int ?? 0
                busy = row.value(at: 3)?.int
                var next = cursor.advanced(to: blocks.end, changed: changed, stillMatching: row.value(at: 2)?.int ?? 0,
                                           written: row.value(at: 1)?.string ?? "")
                var last = blocks.isLast
                if last, let sweep = next.sweep(tableEnd: try heapSize(of: statements.backfill.table).blocks) { (next, last) = (sweep, false) }
                (end, saved, isLast, walk) = (next.position, next.position, last, next)
            } else {
                if let boundary = statements.boundary(after: position, size: size) {
                    end = try database.query(boundary.sql, boundary.arguments).first.map { $0.map { $0.string ?? "" } }
                    isLast = end == nil
                } else {
                    (end, isLast) = (nil, true)
                }
                let batch = statements.batch(after: position, through: end)
                if isPostgres {
                    changed = try database.query(batch.sql, batch.arguments).first?.first?.int ?? 0
                } else {
                    try database.execute(batch.sql, batch.arguments)
                    changed = try database.query("SELECT changes()", []).first?.first?.int ?? 0
                }
                saved = end ?? position
            }
            let blocked = countingWaiters ? try database.query(BackfillStatements.sessionsWaitingForThisOne, []).first?.first?.int ?? 0 : 0
            try state.save(script: progress.script, checksum: progress.checksum, part: progress.part, position: saved,
                           rows: progress.rowsBefore + changed, finished: isLast)
            try commitsDurably()
            return BatchOutcome(end: isLast ? nil : end, changed: changed, blocked: blocked, walked: size, ctid: walk, busy: busy)
        }
    }

    /// Makes the open batch's `COMMIT` wait for its flush, where the run lets commits return
    /// early (see ``SQLDialect/durableCommit``): a batch's log left unflushed is flushed by the
    /// next commit of the application instead, which then waits for it. Measured under load
    /// (`bench/online/`), durable batches kept the application's p99 lower at the same rows/s,
    /// and with a streaming replica its replay lag too, for 17 % fewer rows/s.
    private func commitsDurably() throws {
        if let durable = database.dialect.durableCommit { try database.executeBeforeCommit(durable, []) }
    }

    /// The most any streaming replica lags in replaying, in milliseconds; nil without replicas.
    private func replicaLag() throws -> Int? {
        try database.query(
            "SELECT (max(EXTRACT(EPOCH FROM coalesce(replay_lag, interval '0')))*1000)::bigint FROM pg_stat_replication", []
        ).first?.first?.int
    }

    /// How the backfill walks its table: the primary key, else `ctid` (PostgreSQL) or `rowid` (SQLite).
    private func keyset(of backfill: Backfill, step: PlannedStep, line: Int) throws -> BackfillKeyset {
        let table = database.dialect.qualified(backfill.table)
        guard database.dialect is PostgresDialect else {
            do {
                _ = try database.query("SELECT rowid FROM \(table) LIMIT 0", [])
            } catch {
                throw MigrationScriptError(path: step.migration.path, line: line, message: "\(backfill.table) has no rowid (a WITHOUT ROWID table), by which Strata cuts SQLite backfills into batches; remove `-- strata:backfill` to run the statement at once")
            }
            return .rowid
        }
        let columns = try database.query(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [.text(table)])
        if !columns.isEmpty {
            return .primaryKey(columns.map { BackfillKeyset.KeyColumn(name: $0[0].string ?? "", type: $0[1].string ?? "text") })
        }
        let size = try heapSize(of: backfill.table)
        return .ctid(endBlock: size.blocks, rowsPerBlock: size.rowsPerBlock)
    }

    /// A PostgreSQL table's blocks now, and its rows per block as last analyzed (60 when unknown).
    private func heapSize(of table: TableName) throws -> (blocks: Int, rowsPerBlock: Int) {
        let size = try database.query(
            """
            SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint,
                   CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN ceil(c.reltuples / c.relpages)::bigint ELSE 60 END
            FROM pg_class c WHERE c.oid = $1::regclass
            """, [.text(database.dialect.qualified(table))]).first
        return (size?[0].int ?? 0, size?[1].int ?? 60)
    }

    /// The rows still to change, as the database estimates them (PostgreSQL's planner) or
    /// counts them (SQLite); nil when unknown.
    private func estimatedRows(_ statements: BackfillStatements, after position: [String]?) throws -> Int? {
        let count = statements.remaining(after: position)
        guard database.dialect is PostgresDialect else { return try database.query(count.sql, count.arguments).first?.first?.int }
        let plan = try database.query("EXPLAIN (FORMAT JSON) " + count.sql, count.arguments).first?.first?.string ?? ""
        guard let range = plan.firstRange(of: "\"Plan Rows\": ") else { return nil }
        return Int(plan[range.upperBound...].prefix { $0.isNumber })
    }
}

/// A migration's batched backfill (or a plain part beside one) failed. The batches before it
/// stay committed and saved; the migration is not recorded, and the next run continues.
public struct BackfillFailedError: StrataError, Equatable {
    /// The migration.
    public let step: PlannedStep
    /// The statement that failed and the database's error.
    public let failure: ScriptError
    /// The database's name for messages.
    public let engine: String
    /// Rows the backfill had changed in committed batches.
    public let rows: Int

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints.
    public var description: String {
        let code = failure.code.map { " \($0)" } ?? ""
        let at = failure.line > 0 ? " at line \(failure.line)" : ""
        return "Migration \(step.migration.path) failed\(at) in a batched part: \(engine) error\(code): \(failure.message). "
            + "The batches before it stay committed (\(rows) rows) and are saved in strata_backfill_state; the migration is not recorded as applied. "
            + "Fix the cause and run `strata migrate` again: it continues where this run stopped."
    }
}

/// A migration's backfill has saved progress that does not read as a position Strata writes:
/// the state table was edited or damaged. Nothing ran; where to continue is not guessed.
public struct UnreadableBackfillStateError: StrataError, Equatable {
    /// The migration.
    public let step: PlannedStep
    /// The backfill's line in the migration's file (0: not from a file).
    public let line: Int
    /// The table the backfill changes.
    public let table: TableName
    /// The state table that holds the position.
    public let stateTable: TableName
    /// The saved position, as read.
    public let position: [String]
    /// The statement that forgets the migration's saved progress.
    public let forgetting: String

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints.
    public var description: String {
        let at = line > 0 ? " line \(line)" : ""
        return "Migration \(step.migration.path)\(at): the saved progress of its backfill of \(table) in \(stateTable) cannot be read "
            + "(position \(position.joined(separator: " "))); Strata writes it itself, so the table was edited or damaged. Nothing was changed. "
            + "Restore the row if you can; or, to run the backfill from its start (rows an earlier run changed are changed again unless the statement's WHERE "
            + "skips them), delete it with `\(forgetting)` and run `strata migrate` again."
    }
}

private extension [SQLValue] {
    /// The row's value in `column`, nil past its end.
    func value(at column: Int) -> SQLValue? {
        indices.contains(column) ? self[column] : nil
    }
}
