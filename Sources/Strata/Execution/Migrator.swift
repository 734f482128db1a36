#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Carries out plans against a database: the one place where the catalog, the history and a
/// ``Database`` meet.
///
/// Every command takes the migration lock, and `migrate` checks under it, before each
/// migration, that the history is still the one it planned on; several processes migrating
/// the same database at once therefore apply each migration exactly once.
public final class Migrator {
    public let database: any Database
    public let catalog: Catalog
    public let history: HistoryTable
    /// Written to the history's `installed_by` column.
    public var installedBy: String
    public var onEvent: (MigrationEvent) -> Void

    public init(
        database: any Database, catalog: Catalog, table: TableName = .defaultHistory,
        installedBy: String = Migrator.currentUser, onEvent: @escaping (MigrationEvent) -> Void = { _ in }
    ) {
        self.database = database
        self.catalog = catalog
        self.history = HistoryTable(name: table, database: database)
        self.installedBy = installedBy
        self.onEvent = onEvent
    }

    /// The operating-system user, for `installed_by`.
    public static var currentUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "strata"
    }

    /// The state of every migration; changes nothing, not even by creating the history table.
    public func info(_ options: PlanOptions = PlanOptions()) throws -> Plan {
        Planner.plan(catalog: catalog, history: try history.read(), options: options)
    }

    /// Applies what is pending. Throws ``ValidationFailedError`` before running anything when
    /// files and history disagree, and ``MigrationFailedError`` when a migration fails (after
    /// rolling it back; the ones before it stay applied).
    @discardableResult
    public func migrate(_ options: MigrateOptions = MigrateOptions()) throws -> MigrateReport {
        try database.withMigrationLock(for: history.name) {
            try prepareHistoryTable(baselineOnMigrate: options.baselineOnMigrate)
            var warn = true
            let applied = try around(.beforeMigrate, .afterMigrate, .afterMigrateError) {
                try run(lockRetry: options.lockRetry, each: (.beforeEachMigrate, .afterEachMigrate, .afterEachMigrateError)) { entries in
                    defer { warn = false }
                    return try validatedPlan(entries, options.plan, warn: warn).steps
                }
            }
            return MigrateReport(applied: applied, currentVersion: try currentVersion(options.plan))
        }
    }

    /// Runs down scripts, newest applied first, each in one transaction with its `UNDO_SQL`
    /// history row (the audit trail: who, when, how long); the versions are pending again.
    /// Throws ``UndoRefused`` before touching anything when a step has no down script.
    @discardableResult
    public func undo(_ request: UndoRequest = .count(1), lockRetry: LockRetryPolicy = LockRetryPolicy()) throws -> MigrateReport {
        try database.withMigrationLock(for: history.name) {
            guard try history.exists() else { return MigrateReport(applied: [], currentVersion: nil) }
            let undone = try around(.beforeUndo, .afterUndo, .afterUndoError) {
                try run(lockRetry: lockRetry, each: (.beforeEachUndo, .afterEachUndo, .afterEachUndoError)) { entries in
                    let plan = Planner.plan(catalog: catalog, history: entries)
                    guard plan.blockingFindings.isEmpty else { throw ValidationFailedError(findings: plan.blockingFindings) }
                    return try UndoPlanner.plan(catalog: catalog, history: entries, request: request)
                }
            }
            return MigrateReport(applied: undone, currentVersion: try currentVersion(PlanOptions()))
        }
    }

    private func currentVersion(_ options: PlanOptions) throws -> MigrationVersion? {
        Planner.plan(catalog: catalog, history: try history.read(), options: options).currentVersion
    }

    /// Runs the steps `plan` picks from the history, one by one, each checked under the lock
    /// against the history it was planned on; when another process changed the history in
    /// between, plans again from what is there now.
    private func run(
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

    /// The SQL `migrate` would run, in order, touching nothing (not even creating the history table).
    public func previewMigrate(_ options: MigrateOptions = MigrateOptions()) throws -> String {
        let exists = try history.exists()
        let entries = try history.read()
        let steps = try validatedPlan(entries, options.plan, warn: true).steps
        return try preview(steps, createHistoryTable: !exists, entries: entries, title: "migrate")
    }

    /// The SQL `undo` would run, touching nothing.
    public func previewUndo(_ request: UndoRequest = .count(1)) throws -> String {
        let entries = try history.read()
        return try preview(try UndoPlanner.plan(catalog: catalog, history: entries, request: request),
                           createHistoryTable: false, entries: entries, title: "undo")
    }

    private func preview(_ steps: [PlannedStep], createHistoryTable: Bool, entries: [HistoryEntry], title: String) throws -> String {
        ScriptWriter(statements: history.statements, installedBy: installedBy).script(
            steps: steps, modes: try TransactionPolicy.modes(for: steps, dialect: database.dialect),
            createHistoryTable: createHistoryTable, firstRank: .value(HistoryFingerprint(entries).maxRank + 1),
            header: "Strata \(title) dry run: nothing below has been run.\n\(steps.count) step\(steps.count == 1 ? "" : "s") on \(database.dialect.name), history table \(history.name)")
    }

    /// Everything that disagrees between the files and the history.
    public func validate() throws -> [Finding] {
        try around(.beforeValidate, .afterValidate, .afterValidateError) { try info().findings }
    }

    // MARK: - Callbacks

    /// The callbacks around each step of the run in progress: before, after, after an error.
    private typealias EachStepCallbacks = (before: CallbackEvent, after: CallbackEvent, error: CallbackEvent)
    private var eachStep: EachStepCallbacks?

    /// Runs `body` between the `before` and `after` callbacks, or the `error` ones when it throws.
    private func around<T>(_ before: CallbackEvent, _ after: CallbackEvent, _ error: CallbackEvent, _ body: () throws -> T) throws -> T {
        try fire(before)
        let result: T
        do {
            result = try body()
        } catch let failure {
            try? fire(error)
            throw failure
        }
        try fire(after)
        return result
    }

    /// Runs an event's SQL callbacks, inside the current transaction if there is one.
    private func fire(_ event: CallbackEvent?) throws {
        guard let event else { return }
        for callback in catalog.callbacks(for: event) {
            do throws(ScriptError) {
                try database.executeScript(callback.sql)
            } catch {
                throw CallbackFailedError(callback: callback, failure: error, engine: database.dialect.name)
            }
            onEvent(.callback(callback))
        }
    }

    /// Makes the history agree with the files: removes failed rows, realigns checksums and
    /// descriptions, and marks applied migrations whose file is gone as deleted.
    public func repair() throws -> RepairReport {
        try database.withMigrationLock(for: history.name) {
            guard try history.exists() else { return RepairReport(actions: [], removedLeftovers: []) }
            return try around(.beforeRepair, .afterRepair, .afterRepairError) { try repairUnderLock() }
        }
    }

    private func repairUnderLock() throws -> RepairReport {
        let plan = Planner.plan(catalog: catalog, history: try history.read())
        let removed = try removeLeftovers(of: plan)
        return try database.inTransaction {
            let actions = RepairAction.actions(for: plan)
            for action in actions {
                switch action {
                case .removeFailed(let entry):
                    try history.delete(rank: entry.installedRank)
                case .realign(let entry, let checksum, let description):
                    try history.realign(rank: entry.installedRank, checksum: checksum, description: description)
                case .markDeleted(let entry):
                    try history.append(
                        NewHistoryRow(
                            version: entry.version, description: entry.description, type: .delete,
                            script: entry.script, checksum: entry.checksum, executionTime: 0, success: true),
                        installedBy: installedBy)
                }
            }
            return RepairReport(actions: actions, removedLeftovers: removed)
        }
    }

    /// Drops what failed non-transactional migrations left behind, before their failed rows go.
    private func removeLeftovers(of plan: Plan) throws -> [Leftover] {
        var removed: [Leftover] = []
        for case .failed(let entry) in plan.findings {
            let file = entry.version.flatMap { version in catalog.versioned.first { $0.version == version } }
                ?? catalog.repeatables.first { $0.description == entry.description && entry.version == nil }
            guard let file else { continue }
            for leftover in try database.leftovers(ofFailedScript: file.sql) {
                try database.execute(leftover.cleanup)
                removed.append(leftover)
            }
        }
        return removed
    }

    /// Drops every object in the managed schemas, the history table included, under the lock.
    public func clean(schemas: [String]) throws -> [String] {
        try database.withMigrationLock(for: history.name) {
            try database.dropEverything(inSchemas: schemas.isEmpty ? history.name.schema.map { [$0] } ?? [] : schemas)
        }
    }

    /// Records that the database already holds everything up to `version`.
    public func baseline(version: MigrationVersion, description: String = BaselineDecision.defaultDescription) throws -> BaselineDecision {
        try database.withMigrationLock(for: history.name) {
            try database.inTransaction {
                if try !history.exists() {
                    try history.create()
                    onEvent(.historyTableCreated(history.name))
                }
                let decision = try BaselineDecision.decide(history: try history.read(), version: version, description: description)
                if case .record(let row) = decision {
                    try history.append(row, installedBy: installedBy)
                }
                return decision
            }
        }
    }

    // MARK: - Steps

    private func validatedPlan(_ entries: [HistoryEntry], _ options: PlanOptions, warn: Bool) throws -> Plan {
        let plan = Planner.plan(catalog: catalog, history: entries, options: options)
        guard plan.blockingFindings.isEmpty else { throw ValidationFailedError(findings: plan.blockingFindings) }
        if warn {
            for case .ignored(let migration, let newest) in plan.findings {
                onEvent(.warning("\(migration.path) is older than the newest applied version \(newest) and is ignored; pass --out-of-order to apply it."))
            }
        }
        return plan
    }

    /// Runs a transactional step, rolling back and retrying it while it fails only for want of
    /// a lock, with the pauses and growing timeouts of the retry policy.
    private func applyRetryingLocks(_ step: PlannedStep, expecting expected: HistoryFingerprint, _ policy: LockRetryPolicy) throws -> AppliedStep? {
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

    /// The timeouts in force on the migration session, so that each is set only when it changes.
    private var timeouts: (lock: Int, statement: Int)?

    private func setTimeouts(lockMilliseconds: Int, statementMilliseconds: Int) throws {
        guard timeouts.map({ $0 != (lockMilliseconds, statementMilliseconds) }) ?? true else { return }
        for statement in [database.dialect.setLockTimeout(milliseconds: lockMilliseconds),
                          database.dialect.setStatementTimeout(milliseconds: statementMilliseconds)].compactMap({ $0 }) {
            try database.execute(statement)
        }
        timeouts = (lockMilliseconds, statementMilliseconds)
    }

    /// Runs one step in its own transaction together with its history row. Returns nil, having
    /// changed nothing, when another process wrote to the history since `expected`.
    private func apply(_ step: PlannedStep, expecting expected: HistoryFingerprint) throws -> AppliedStep? {
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
    private func applyOutsideTransaction(_ step: PlannedStep, expecting expected: HistoryFingerprint) throws -> AppliedStep? {
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
    private func run(_ step: PlannedStep) throws(TimedScriptError) -> Int {
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
    private func historyIsUnchanged(since expected: HistoryFingerprint) throws -> Bool {
        try database.migrationLockExcludesOtherRuns || history.fingerprint() == expected
    }

    private func row(for step: PlannedStep, milliseconds: Int, success: Bool) -> NewHistoryRow {
        NewHistoryRow(
            version: step.migration.version, description: step.migration.description, type: step.type,
            script: step.migration.script, checksum: step.migration.checksum, executionTime: milliseconds, success: success)
    }

    private func entry(for step: PlannedStep, rank: Int, milliseconds: Int) -> HistoryEntry {
        HistoryEntry(
            installedRank: rank, version: step.migration.version, description: step.migration.description, type: step.type,
            script: step.migration.script, checksum: step.migration.checksum, installedBy: installedBy, installedOn: "",
            executionTime: milliseconds, success: true)
    }

    /// Creates the history table on first use, under the write lock so that concurrent runs
    /// create it once. A database that already holds objects is only adopted when asked to.
    private func prepareHistoryTable(baselineOnMigrate: Bool) throws {
        guard try !history.exists() else { return }
        try database.inTransaction {
            guard try !history.exists() else { return }
            let objects = try database.userObjectCount(excluding: history.name)
            guard objects == 0 || baselineOnMigrate else {
                throw UnmanagedSchemaError(table: history.name, objectCount: objects)
            }
            try history.create()
            onEvent(.historyTableCreated(history.name))
            if objects > 0, case .record(let row) = try BaselineDecision.decide(history: [], version: MigrateOptions.baselineVersion) {
                try history.append(row, installedBy: installedBy)
                onEvent(.baselineRecorded(MigrateOptions.baselineVersion))
            }
        }
    }
}

/// How `migrate` runs.
public struct MigrateOptions: Sendable {
    public var plan: PlanOptions
    /// On a database that holds objects but no history, record a baseline at version 1 first.
    public var baselineOnMigrate: Bool
    public var lockRetry: LockRetryPolicy

    static let baselineVersion = MigrationVersion("1")!

    public init(plan: PlanOptions = PlanOptions(), baselineOnMigrate: Bool = false, lockRetry: LockRetryPolicy = LockRetryPolicy()) {
        self.plan = plan
        self.baselineOnMigrate = baselineOnMigrate
        self.lockRetry = lockRetry
    }
}

/// A script's failure and how long it ran before it.
private struct TimedScriptError: Error {
    let failure: ScriptError
    let milliseconds: Int
}

/// What `repair` did.
public struct RepairReport: Sendable {
    public let actions: [RepairAction]
    /// What failed migrations had left behind and was removed.
    public let removedLeftovers: [Leftover]
}

/// Sleeps the calling thread; retries wait here while holding the migration lock on purpose.
private func pauseFor(milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}

/// One migration `migrate` applied.
public struct AppliedStep: Sendable {
    public let step: PlannedStep
    public let milliseconds: Int
    public let entry: HistoryEntry
}

public struct MigrateReport: Sendable {
    public let applied: [AppliedStep]
    /// The newest applied version after the run.
    public let currentVersion: MigrationVersion?
}
