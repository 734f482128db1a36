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
    /// between, plans again from what is there now.
    func run(
        lockRetry: LockRetryPolicy, each hooks: EachStepCallbacks, plan: ([HistoryEntry]) throws -> [PlannedStep]
    ) throws -> [AppliedStep] {
        eachStep = hooks
        defer { eachStep = nil }
        var entries = try history.read()
        var expected = HistoryFingerprint(entries)
        var steps = try plan(entries)
        var modes = try TransactionPolicy.modes(for: steps, dialect: database.dialect)
        var applied: [AppliedStep] = []
        var next = steps.startIndex
        while next < steps.endIndex {
            let step = steps[next]
            let outcome: AppliedStep?
            do {
                outcome = switch modes[step] {
                case .transactional: try applyRetryingLocks(step, expecting: expected, lockRetry)
                case .nonTransactional: try applyOutsideTransaction(step, expecting: expected)
                }
            } catch {
                try? fire(hooks.error)
                throw error
            }
            guard let outcome else {
                onEvent(.replanned)
                entries = try history.read()
                expected = HistoryFingerprint(entries)
                steps = try plan(entries)
                modes = try TransactionPolicy.modes(for: steps, dialect: database.dialect)
                next = steps.startIndex
                continue
            }
            applied.append(outcome)
            entries.append(outcome.entry)
            expected = HistoryFingerprint(count: expected.count + 1, maxRank: outcome.entry.installedRank)
            next += 1
        }
        return applied
    }

    /// Runs a transactional step, rolling back and retrying it while it fails only for want of
    /// a lock, with the pauses and growing timeouts of the retry policy.
    func applyRetryingLocks(_ step: PlannedStep, expecting expected: HistoryFingerprint, _ policy: LockRetryPolicy) throws -> AppliedStep? {
        var failures = 0
        while true {
            try setTimeouts(lockMilliseconds: policy.lockTimeout(afterFailures: failures), statementMilliseconds: policy.statementTimeoutMilliseconds ?? 0)
            do {
                return try apply(step, expecting: expected)
            } catch let error as MigrationFailedError where database.dialect.isLockTimeout(error.failure) {
                failures += 1
                guard policy.allowsRetry(afterFailures: failures) else {
                    throw MigrationFailedError(step: step, failure: error.failure, engine: error.engine, retries: failures - 1)
                }
                let pause = policy.backoff(afterFailures: failures, jitter: Double.random(in: 0.5...1.5))
                onEvent(.lockRetry(step, failures: failures, pauseMilliseconds: pause,
                                   nextLockTimeoutMilliseconds: policy.lockTimeout(afterFailures: failures), blockedBy: error.failure.blockedBy))
                pauseFor(milliseconds: pause)
            }
        }
    }


    func setTimeouts(lockMilliseconds: Int, statementMilliseconds: Int) throws {
        guard timeouts.map({ $0 != (lockMilliseconds, statementMilliseconds) }) ?? true else { return }
        for statement in [database.dialect.setLockTimeout(milliseconds: lockMilliseconds),
                          database.dialect.setStatementTimeout(milliseconds: statementMilliseconds)].compactMap({ $0 }) {
            try database.execute(statement)
        }
        timeouts = (lockMilliseconds, statementMilliseconds)
    }

    /// Runs one step in its own transaction together with its history row. Returns nil, having
    /// changed nothing, when another process wrote to the history since `expected`.
    func apply(_ step: PlannedStep, expecting expected: HistoryFingerprint) throws -> AppliedStep? {
        try database.inTransaction { () throws -> AppliedStep? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            try fire(eachStep?.before)
            let milliseconds: Int
            do throws(TimedScriptError) {
                milliseconds = try run(step)
            } catch {
                throw MigrationFailedError(step: step, failure: error.failure, engine: database.dialect.name)
            }
            try fire(eachStep?.after)
            let rank = try history.append(row(for: step, milliseconds: milliseconds, success: true), installedBy: installedBy, after: expected)
            onEvent(.applied(step, milliseconds: milliseconds))
            return AppliedStep(step: step, milliseconds: milliseconds, entry: entry(for: step, rank: rank, milliseconds: milliseconds))
        }
    }

    /// Runs a step whose statements cannot run in a transaction: records the attempt as failed
    /// first (so a crash leaves a failed row that blocks later runs until `repair`), runs the
    /// statements one by one without a lock timeout (concurrent index builds wait for older
    /// transactions by design), and marks the row successful last.
    func applyOutsideTransaction(_ step: PlannedStep, expecting expected: HistoryFingerprint) throws -> AppliedStep? {
        let attempt = try database.inTransaction { () throws -> Int? in
            guard try historyIsUnchanged(since: expected) else { return nil }
            return try history.append(row(for: step, milliseconds: 0, success: false), installedBy: installedBy, after: expected)
        }
        guard let rank = attempt else { return nil }
        try setTimeouts(lockMilliseconds: 0, statementMilliseconds: 0)
        try fire(eachStep?.before)
        let milliseconds: Int
        do throws(TimedScriptError) {
            milliseconds = try run(step)
        } catch {
            let leftovers = (try? database.leftovers(ofFailedScript: step.migration.sql)) ?? []
            try history.finish(rank: rank, executionTime: error.milliseconds, success: false)
            throw MigrationFailedError(step: step, failure: error.failure, engine: database.dialect.name, mode: .nonTransactional, leftovers: leftovers)
        }
        try fire(eachStep?.after)
        try history.finish(rank: rank, executionTime: milliseconds, success: true)
        onEvent(.applied(step, milliseconds: milliseconds))
        return AppliedStep(step: step, milliseconds: milliseconds, entry: entry(for: step, rank: rank, milliseconds: milliseconds))
    }

    /// Runs a step's script, reporting its start and its failure; returns how long it took.
    fileprivate func run(_ step: PlannedStep) throws(TimedScriptError) -> Int {
        onEvent(.started(step))
        let clock = ContinuousClock()
        let start = clock.now
        do throws(ScriptError) {
            try database.executeScript(step.migration.sql)
        } catch {
            onEvent(.failed(step))
            throw TimedScriptError(failure: error, milliseconds: Int((clock.now - start) / .milliseconds(1)))
        }
        return Int((clock.now - start) / .milliseconds(1))
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

    func entry(for step: PlannedStep, rank: Int, milliseconds: Int) -> HistoryEntry {
        HistoryEntry(
            installedRank: rank, version: step.migration.version, description: step.migration.description, type: step.type,
            script: step.migration.script, checksum: step.migration.checksum, installedBy: installedBy, installedOn: "",
            executionTime: milliseconds, success: true)
    }
}

/// A script's failure and how long it ran before it.
private struct TimedScriptError: Error {
    let failure: ScriptError
    let milliseconds: Int
}

/// Sleeps the calling thread; retries wait here while holding the migration lock on purpose.
private func pauseFor(milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}
