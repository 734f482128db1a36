#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the migrator carries out steps: the run loop that re-plans when another process
/// wrote the history, the retries on lock timeouts, and the two ways a step runs.
extension Migrator {
    /// Runs the steps `plan` picks from the history, one by one, each checked under the lock
    /// against the history it was planned on; when another process changed the history in
    /// between, plans again from what is there now, and checks that every step of the new plan
    /// can run as written before running one. The first plan's steps are checked by the caller
    /// before anything is created; here each step's file is read once, when its turn comes (its
    /// analysis, its parts, its rewrite and its run share the read).
    func run(
        lockRetry: LockRetryPolicy, each hooks: EachStepCallbacks, plan: ([HistoryEntry]) throws -> [PlannedStep]
    ) throws -> [AppliedStep] {
        eachStep = hooks
        defer { eachStep = nil }
        // Once planned, only golang-migrate's table needs the history (the version each step
        // leaves it at): kept for every run, the rows added while applying 10,000 migrations
        // grew to 2.5 MB.
        let keepsHistory = companion == .golangMigrate
        var entries = try history.read()
        var expected = HistoryFingerprint(entries)
        var steps = try plan(entries)
        if !keepsHistory { entries = [] }
        var applied: [AppliedStep] = []
        applied.reserveCapacity(steps.count)
        var newTables: Set<String> = []
        var next = steps.startIndex
        while next < steps.endIndex {
            let step = steps[next]
            let outcome: AppliedStep?
            do {
                let mode = try TransactionPolicy.mode(of: step, dialect: database.dialect)
                let companion = try companionStep(step, mode: mode, history: entries)
                if let parts = try backfillParts(of: step) {
                    outcome = try applyInParts(step, parts: parts, mode: mode, expecting: expected, lockRetry, companion: companion)
                } else if let rewrite = try rewrite(of: step, mode: mode, newTables: &newTables) {
                    outcome = try applyRewritten(step, rewrite, expecting: expected, lockRetry)
                } else {
                    outcome = switch mode {
                    case .transactional: try applyRetryingLocks(step, expecting: expected, lockRetry, companion: companion)
                    case .nonTransactional: try applyOutsideTransaction(step, expecting: expected, companion: companion)
                    }
                }
            } catch {
                onEvent(.failed(step))
                try fire(hooks.error, after: error)
                throw error
            }
            guard let outcome else {
                onEvent(.replanned)
                entries = try history.read()
                expected = HistoryFingerprint(entries)
                steps = try plan(entries)
                if !keepsHistory { entries = [] }
                try TransactionPolicy.check(steps, dialect: database.dialect)
                next = steps.startIndex
                continue
            }
            applied.append(outcome)
            if keepsHistory {
                entries.append(HistoryEntry(row(for: step, milliseconds: outcome.milliseconds, success: true),
                                            rank: outcome.installedRank, installedBy: outcome.installedBy))
            }
            expected = HistoryFingerprint(count: expected.count + 1, maxRank: outcome.installedRank)
            next += 1
        }
        return applied
    }

    /// Runs a transactional step, rolling back and retrying it while it fails only for want of
    /// a lock (see ``retryingLocks(_:_:_:)``).
    func applyRetryingLocks(
        _ step: PlannedStep, expecting expected: HistoryFingerprint, _ policy: LockRetryPolicy, companion: CompanionStep? = nil
    ) throws -> AppliedStep? {
        do {
            return try retryingLocks(step, policy) {
                do {
                    return try apply(step, expecting: expected, companion: companion)
                } catch let error as MigrationFailedError where database.dialect.isLockTimeout(error.failure) {
                    throw error.failure
                }
            }
        } catch let exhausted as LockRetriesExhausted {
            throw MigrationFailedError(step: step, failure: exhausted.failure, engine: database.dialect.name, retries: exhausted.retries)
        }
    }

    /// Runs `body` (one transaction), rolling it back and running it again while it fails only
    /// for want of a lock: after each timeout it waits for the blocking transactions to end (see
    /// ``LockBlocker``), or backs off when nobody can tell who blocked it.
    /// - Throws: ``LockRetriesExhausted`` when the policy allows no more retries.
    func retryingLocks<T>(_ step: PlannedStep, _ policy: LockRetryPolicy, _ body: () throws -> T) throws -> T {
        var failures = 0
        while true {
            try setTimeouts(lockMilliseconds: policy.lockTimeout(afterFailures: failures), statementMilliseconds: policy.statementTimeoutMilliseconds ?? 0)
            do {
                return try body()
            } catch let failure as ScriptError where database.dialect.isLockTimeout(failure) {
                failures += 1
                guard policy.allowsRetry(afterFailures: failures) else { throw LockRetriesExhausted(failure: failure, retries: failures - 1) }
                let pause = try pauseAfterLockTimeout(failure, of: step, failures: failures, policy)
                onEvent(.lockRetry(step, failures: failures, pauseMilliseconds: pause,
                                   nextLockTimeoutMilliseconds: policy.lockTimeout(afterFailures: failures), blockedBy: failure.blockedBy))
            }
        }
    }

    /// Waits before the next attempt: until the blockers' transactions end when the driver named
    /// them, else the policy's backoff. Returns how long it waited.
    private func pauseAfterLockTimeout(_ failure: ScriptError, of step: PlannedStep, failures: Int, _ policy: LockRetryPolicy) throws -> Int {
        guard !failure.blockers.isEmpty else {
            let pause = policy.backoff(afterFailures: failures, jitter: jitter())
            sleep(.milliseconds(pause))
            return pause
        }
        onEvent(.waitingForBlockers(step, blockedBy: failure.blockedBy ?? failure.blockers.map { "pid \($0.pid)" }.joined(separator: ", ")))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try database.waitForEnd(of: failure.blockers, upTo: .milliseconds(policy.blockerWaitMilliseconds))
        return Int((clock.now - start) / .milliseconds(1))
    }

    func setTimeouts(lockMilliseconds: Int, statementMilliseconds: Int) throws {
        guard timeouts.map({ $0 != (lockMilliseconds, statementMilliseconds) }) ?? true else { return }
        for statement in [database.dialect.setLockTimeout(milliseconds: lockMilliseconds),
                          database.dialect.setStatementTimeout(milliseconds: statementMilliseconds)].compactMap({ $0 }) {
            try database.execute(statement)
        }
        timeouts = (lockMilliseconds, statementMilliseconds)
    }

    /// Runs one step in its own transaction together with its history row (and the other
    /// tool's, when one is kept). Returns nil, having changed nothing, when another process
    /// wrote to the history since `expected`.
    func apply(_ step: PlannedStep, expecting expected: HistoryFingerprint, companion: CompanionStep? = nil) throws -> AppliedStep? {
        rehearsal?.note(step.migration.path)
        onEvent(.started(step))
        return try database.inTransaction { () throws -> AppliedStep? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            try fire(eachStep?.before)
            let milliseconds: Int
            do throws(TimedScriptError) {
                milliseconds = try timedRun(step)
            } catch {
                throw MigrationFailedError(step: step, failure: error.failure, engine: database.dialect.name)
            }
            try fire(eachStep?.after)
            let user = try installedBy()
            let rank = try history.append(row(for: step, milliseconds: milliseconds, success: true), installedBy: user, after: expected)
            try companionTable.write(companion?.withStep ?? [])
            onEvent(.applied(step, milliseconds: milliseconds))
            return AppliedStep(step: step, milliseconds: milliseconds, installedRank: rank, installedBy: user)
        }
    }

    /// Runs a step whose statements cannot run in a transaction: records the attempt as failed
    /// first (so a crash leaves a failed row that blocks later runs until `repair`), runs the
    /// statements one by one without a lock timeout (concurrent index builds wait for older
    /// transactions by design), and marks the row successful last. The other tool's table is
    /// marked as its tool marks it: dirty with the attempt, clean with the success.
    func applyOutsideTransaction(_ step: PlannedStep, expecting expected: HistoryFingerprint, companion: CompanionStep? = nil) throws -> AppliedStep? {
        rehearsal?.note(step.migration.path + " (outside a transaction)")
        onEvent(.started(step))
        let user = try installedBy()
        let attempt = try database.inTransaction { () throws -> Int? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            let rank = try history.append(row(for: step, milliseconds: 0, success: false), installedBy: user, after: expected)
            try companionTable.write(companion?.beforeRun.map { [$0] } ?? [])
            return rank
        }
        guard let rank = attempt else { return nil }
        try setTimeouts(lockMilliseconds: 0, statementMilliseconds: 0)
        try removeLeftoversBeforeRerun(of: step.migration)
        try fire(eachStep?.before)
        let milliseconds: Int
        do throws(TimedScriptError) {
            milliseconds = try timedRun(step)
        } catch {
            let leftovers = (try? database.leftovers(ofFailedScript: try step.migration.sql)) ?? []
            try history.finish(rank: rank, executionTime: error.milliseconds, success: false)
            throw MigrationFailedError(step: step, failure: error.failure, engine: database.dialect.name, mode: .nonTransactional, leftovers: leftovers)
        }
        try fire(eachStep?.after)
        if let companion, !companion.withStep.isEmpty {
            try database.inTransaction {
                try history.finish(rank: rank, executionTime: milliseconds, success: true)
                try companionTable.write(companion.withStep)
            }
        } else {
            try history.finish(rank: rank, executionTime: milliseconds, success: true)
        }
        onEvent(.applied(step, milliseconds: milliseconds))
        return AppliedStep(step: step, milliseconds: milliseconds, installedRank: rank, installedBy: user)
    }

    /// Drops what an earlier failed attempt left that would make this one keep a broken object,
    /// such as the invalid index a `CREATE INDEX CONCURRENTLY IF NOT EXISTS` would skip over.
    private func removeLeftoversBeforeRerun(of migration: Migration) throws {
        for leftover in try database.leftovers(ofFailedScript: try migration.sql) where leftover.removedBeforeRerun {
            try database.execute(leftover.cleanup)
            onEvent(.warning("\(migration.path): dropped \(leftover.description), left by an earlier failed attempt, before running it again."))
        }
    }

    /// Runs a step, reporting its start; returns how long it took.
    private func timedRun(_ step: PlannedStep) throws(TimedScriptError) -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        do throws(ScriptError) {
            try execute(step.migration)
        } catch {
            throw TimedScriptError(failure: error, milliseconds: Int((clock.now - start) / .milliseconds(1)))
        }
        return Int((clock.now - start) / .milliseconds(1))
    }

    /// Runs a migration's SQL, or its Swift code on this migrator's connection.
    func execute(_ migration: Migration) throws(ScriptError) {
        guard let code = migration.code else {
            return try database.executeScript(try Self.text(of: migration))
        }
        do {
            var context = MigrationContext(database: database, queriesAllowed: rehearsal == nil, migration: migration)
            context.backfillReader = backfillReader
            var backfills = 0
            if rehearsal == nil && migration.directives.transaction == false {
                context.runBackfill = { [unowned self] backfill in
                    defer { backfills += 1 }
                    try runBackfill(backfill, of: PlannedStep(migration: migration, type: .of(migration), reason: .pending), part: backfills, backfillLockRetry)
                }
            }
            try code.run(context)
            if backfills > 0 { try clearBackfillState(of: migration) }
        } catch let failure as ScriptError {
            throw failure
        } catch let failure as DatabaseError {
            throw ScriptError(line: 0, statement: failure.sql.map { SQLText.firstLine(of: $0) } ?? "", message: failure.message, code: failure.code)
        } catch {
            throw ScriptError(line: 0, statement: "", message: "\(error)", code: nil)
        }
    }

    /// A migration's SQL, read when it runs; a file that can no longer be read, or that changed
    /// since it was planned, fails the step before any of it runs.
    static func text(of migration: Migration) throws(ScriptError) -> String {
        do throws(CatalogError) {
            return try migration.sql
        } catch {
            throw ScriptError(line: 0, statement: "", message: error.problems.map(\.message).joined(separator: "; "), code: nil)
        }
    }

    /// Whether the history is still the one the plan was made on. Under a lock that excludes
    /// other runs it cannot have changed, and the query is saved.
    func historyIsUnchanged(since expected: HistoryFingerprint) throws -> Bool {
        try database.migrationLockExcludesOtherRuns || history.fingerprint() == expected
    }

    func row(for step: PlannedStep, milliseconds: Int, success: Bool) -> NewHistoryRow {
        NewHistoryRow(
            version: step.migration.version, description: step.migration.description, type: step.type,
            script: step.migration.script, checksum: step.migration.checksum, executionTime: milliseconds, success: success)
    }
}

/// The last lock timeout of an attempt the retry policy allowed no retry after.
struct LockRetriesExhausted: Error {
    let failure: ScriptError
    let retries: Int
}

/// A script's failure and how long it ran before it.
struct TimedScriptError: Error {
    let failure: ScriptError
    let milliseconds: Int
}

/// Sleeps the calling thread; retries wait here while holding the migration lock on purpose.
package func pauseFor(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}
