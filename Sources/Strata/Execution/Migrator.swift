#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Carries out plans against a database: the one place where the catalog, the history and a
/// ``Database`` meet.
///
/// Every command takes the migration lock, and `migrate` checks under it, before each
/// migration, that the history is still the one it planned on; several processes migrating
/// the same database at once therefore apply each migration exactly once.
///
/// ```swift
/// import Strata
/// import StrataSQLite
///
/// let migrator = Migrator(
///     database: try SQLiteDatabase(path: "app.db"),
///     catalog: try LocationReader.read(locations: ["migrations"]))
/// let report = try migrator.migrate()
/// print("\(report.applied.count) applied; now at version \(report.currentVersion?.text ?? "none")")
/// ```
///
/// - Warning: Every command blocks its thread while the database works, and may wait for another
///   run's migration lock or pause between lock retries. In a server, call it from a thread of
///   its own, or use StrataKit's async `StrataConfiguration.migrate()`, which does.
public final class Migrator {
    /// The database the migrator runs against.
    public let database: any Database
    /// The migrations it knows of.
    public let catalog: Catalog
    package let history: HistoryTable
    /// Called with everything the migrator does, as it happens: for a command line to draw,
    /// a logger to record or a test to watch.
    public var onEvent: (MigrationEvent) -> Void
    /// Waits between lock-timeout retries. Replace it in tests to run retries without sleeping.
    package var sleep: (Duration) -> Void = { pauseFor($0) }
    /// The jitter (0.5...1.5) that scales each retry's pause, so that runs retrying together
    /// spread out. Replace it in tests for repeatable pauses.
    package var jitter: () -> Double = { Double.random(in: 0.5...1.5) }
    /// Another tool's history table kept up to date beside Strata's own (see ``CompanionHistory``).
    public var companion: CompanionHistory?
    /// Replaces statements that would stall live traffic by their safe form (see
    /// ``MigrationRewrite``); nil runs every migration as written.
    public var rewriter: (any MigrationRewriting)?
    /// The user given at creation, or nil for the database user.
    private let requestedUser: String?
    private var resolvedUser: String?
    /// The timeouts in force on the migration session, so that each is set only when it changes.
    var timeouts: (lock: Int, statement: Int)?
    /// The callbacks around each step of the run in progress: before, after, after an error.
    var eachStep: EachStepCallbacks?
    /// Reads statements marked `-- strata:backfill`; StrataKit sets StrataLint's, which uses
    /// PostgreSQL's grammar. Without one, such a migration is refused before anything runs.
    public var backfillReader: (any BackfillStatementReader)?
    /// How fast backfills may go, from the run's ``MigrateOptions``.
    var backfillSettings = BackfillSettings()
    /// The run's lock retries, for the backfills of code migrations.
    var backfillLockRetry = LockRetryPolicy()
    /// The rows of the progress table of rewritten migrations (see ``progressTable``), counted
    /// when `migrate` looks for interrupted ones under the lock and kept since, so that the
    /// last one finished drops the table in its own transaction without counting again.
    var progressRows = 0
    /// Set on the migrator that rehearses a dry run: comments for the script it records, and
    /// code migrations may not query (their queries would run for real).
    var rehearsal: RecordingDatabase?

    /// A migrator over a database and the migrations it should hold.
    ///
    /// - Parameters:
    ///   - database: the connection migrations run on, from a driver (`SQLiteDatabase`,
    ///     `PostgresDatabase`).
    ///   - catalog: the migrations, from ``LocationReader``, code migrations added with
    ///     ``Catalog/adding(_:)``, placeholders replaced with ``Placeholders/apply(to:)``.
    ///   - table: the history table (default `strata_schema_history`; `flyway_schema_history`
    ///     adopts a database Flyway managed).
    ///   - installedBy: written to the history's `installed_by`; by default the database user
    ///     (PostgreSQL's `current_user`), or the operating-system user where the engine has none.
    ///   - onEvent: receives every ``MigrationEvent`` as it happens.
    public convenience init(
        database: any Database, catalog: Catalog, table: TableName = .defaultHistory,
        installedBy: String? = nil, onEvent: @escaping (MigrationEvent) -> Void = { _ in }
    ) {
        self.init(database: database, catalog: catalog, history: HistoryTable(name: table, database: database),
                  installedBy: installedBy, onEvent: onEvent)
    }

    init(database: any Database, catalog: Catalog, history: HistoryTable, installedBy: String?,
         onEvent: @escaping (MigrationEvent) -> Void = { _ in }) {
        self.database = database
        self.catalog = catalog
        self.history = history.sharingStrings(with: catalog)
        self.requestedUser = installedBy
        self.onEvent = onEvent
    }

    /// The operating-system user, for `installed_by` where the database has no user.
    package static var currentUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "strata"
    }

    /// Who the history records as having run a migration: asked of the database once, on the
    /// first write, so that commands that only read never ask.
    func installedBy() throws -> String {
        if let user = requestedUser ?? resolvedUser { return user }
        let user = try database.sessionUser() ?? Self.currentUser
        resolvedUser = user
        return user
    }

    /// The audit trail: every row of the history, oldest first (migrations, undos, repairs,
    /// baselines; who, when, how long, whether it succeeded). Changes nothing.
    public func historyEntries() throws -> [HistoryEntry] {
        try history.read()
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
        try locked {
            let resumed = try resumeRewrittenMigrations(options.lockRetry)
            // Files and history that disagree, or a script that cannot run as written, stop the
            // run before anything is created or any callback runs.
            // Both checks of a step in a row, so that they read its file once (the text read
            // last is kept); the run reads each file again, checked against its checksum. The
            // plan is let go before the run plans again (1.7 MB at 10,000 migrations).
            do {
                for step in try validatedPlan(try history.read(), options.plan, warn: true).steps {
                    _ = try TransactionPolicy.mode(of: step, dialect: database.dialect)
                    _ = try backfillParts(of: step)
                }
            }
            (backfillSettings, backfillLockRetry) = (options.backfill, options.lockRetry)
            try prepareHistoryTable(baselineOnMigrate: options.baselineOnMigrate)
            var warn = false
            var planOptions = options.plan
            let applied = try around(.beforeMigrate, .afterMigrate, .afterMigrateError) {
                try run(lockRetry: options.lockRetry, each: (.beforeEachMigrate, .afterEachMigrate, .afterEachMigrateError)) { entries in
                    defer { warn = false }
                    let steps = try validatedPlan(entries, planOptions, warn: warn).steps
                    // A re-plan after another process wrote the history must not reach further than the first plan.
                    planOptions.target = planOptions.target.pinned(to: steps)
                    return steps
                }
            }
            return MigrateReport(applied: resumed + applied, currentVersion: try currentVersion(options.plan))
        }
    }

    /// Runs down scripts, newest applied first, each in one transaction with its `UNDO_SQL`
    /// history row (the audit trail: who, when, how long); the versions are pending again.
    /// Throws ``UndoRefused`` before touching anything when a step has no down script.
    @discardableResult
    public func undo(_ request: UndoRequest = .count(1), lockRetry: LockRetryPolicy = LockRetryPolicy()) throws -> MigrateReport {
        try locked {
            guard try history.exists() else { return MigrateReport(applied: [], currentVersion: nil) }
            if let companion {
                try database.inTransaction { try reconcile(companion, found: try companionTable.read(expecting: companion)) }
            }
            func plan(_ entries: [HistoryEntry]) throws -> [PlannedStep] {
                let plan = Planner.plan(catalog: catalog, history: entries)
                guard plan.blockingFindings.isEmpty else { throw ValidationFailedError(findings: plan.blockingFindings) }
                return try UndoPlanner.plan(catalog: catalog, history: entries, request: request)
            }
            try TransactionPolicy.check(try plan(try history.read()), dialect: database.dialect)
            let undone = try around(.beforeUndo, .afterUndo, .afterUndoError) {
                try run(lockRetry: lockRetry, each: (.beforeEachUndo, .afterEachUndo, .afterEachUndoError), plan: plan)
            }
            return MigrateReport(applied: undone, currentVersion: try currentVersion(PlanOptions()))
        }
    }

    private func currentVersion(_ options: PlanOptions) throws -> MigrationVersion? {
        Planner.plan(catalog: catalog, history: try history.read(), options: options).currentVersion
    }

    /// Everything that disagrees between the files and the history, between the
    /// `beforeValidate` callbacks and the `afterValidate` ones, or `afterValidateError` ones
    /// when there are findings.
    public func validate() throws -> [Finding] {
        try fire(.beforeValidate)
        let findings: [Finding]
        do {
            findings = try info().findings
        } catch {
            try fire(.afterValidateError, after: error)
            throw error
        }
        try fire(findings.isEmpty ? .afterValidate : .afterValidateError)
        return findings
    }

    /// Makes the history agree with the files: removes failed rows, realigns checksums and
    /// descriptions, and marks applied migrations whose file is gone as deleted. The saved
    /// progress of rewritten migrations and backfills goes with them when `migrate` could not
    /// continue it (see ``RepairAction/keepResumable(_:stepsDone:)``).
    public func repair() throws -> RepairReport {
        try locked {
            guard try history.exists() else { return RepairReport(actions: [], removedLeftovers: []) }
            let report = try around(.beforeRepair, .afterRepair, .afterRepairError) { try repairUnderLock() }
            try settleGolangMigrate(after: report)
            return report
        }
    }

    private func repairUnderLock() throws -> RepairReport {
        let entries = try history.read()
        let plan = Planner.plan(catalog: catalog, history: entries)
        var removed = try removeLeftovers(of: plan)
        let actions = RepairAction.actions(for: plan, resumable: try resumableRewrites(in: entries))
        let report = try database.inTransaction {
            for action in actions {
                switch action {
                case .removeFailed(let entry):
                    try history.delete(rank: entry.installedRank)
                    removed += try forgetProgress(of: entry)
                case .keepResumable:
                    continue
                case .realign(let entry, let checksum, let description):
                    try history.realign(rank: entry.installedRank, checksum: checksum, description: description)
                case .markDeleted(let entry):
                    try history.append(
                        NewHistoryRow(
                            version: entry.version, description: entry.description, type: .delete,
                            script: entry.script, checksum: entry.checksum, executionTime: 0, success: true),
                        installedBy: try installedBy())
                }
            }
            removed += try forgetStaleBackfills()
            return RepairReport(actions: actions, removedLeftovers: removed)
        }
        try dropEmptyProgressTables()
        return report
    }

    /// Drops what failed non-transactional migrations left behind, before their failed rows go.
    private func removeLeftovers(of plan: Plan) throws -> [Leftover] {
        var removed: [Leftover] = []
        for case .failed(let entry) in plan.findings {
            let file = entry.version.flatMap { version in catalog.versioned.first { $0.version == version } }
                ?? catalog.repeatables.first { $0.description == entry.description && entry.version == nil }
            guard let file else { continue }
            for leftover in try database.leftovers(ofFailedScript: try file.sql) {
                try database.execute(leftover.cleanup)
                removed.append(leftover)
            }
        }
        return removed
    }

    /// Drops every object in the managed schemas, the history table included, under the lock.
    public func clean(schemas: [String]) throws -> [String] {
        try locked {
            try database.dropEverything(inSchemas: schemas.isEmpty ? history.name.schema.map { [$0] } ?? [] : schemas)
        }
    }

    /// Records that the database already holds everything up to `version`.
    public func baseline(version: MigrationVersion, description: String = BaselineDecision.defaultDescription) throws -> BaselineDecision {
        try locked {
            try database.inTransaction {
                if try !history.exists() {
                    try history.create()
                    onEvent(.historyTableCreated(history.name))
                }
                let decision = try BaselineDecision.decide(history: try history.read(), version: version, description: description)
                if case .record(let row) = decision {
                    try history.append(row, installedBy: try installedBy())
                }
                return decision
            }
        }
    }

    /// Runs `body` under the migration lock, reporting how long it took to get it.
    func locked<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        return try database.withMigrationLock(for: history.name) {
            onEvent(.lockAcquired(waitedMilliseconds: Int((clock.now - start) / .milliseconds(1))))
            return try body()
        }
    }

    // MARK: - Planning

    func validatedPlan(_ entries: [HistoryEntry], _ options: PlanOptions, warn: Bool) throws -> Plan {
        let plan = Planner.plan(catalog: catalog, history: entries, options: options)
        guard plan.blockingFindings.isEmpty else { throw ValidationFailedError(findings: plan.blockingFindings) }
        if warn {
            for case .ignored(let migration, let newest) in plan.findings {
                onEvent(.warning("\(migration.path) is older than the newest applied version \(newest) and is ignored; pass --out-of-order to apply it."))
            }
        }
        return plan
    }

    /// Creates the history table on first use, under the write lock so that concurrent runs
    /// create it once, and brings the other tool's table in line when one is kept.
    private func prepareHistoryTable(baselineOnMigrate: Bool) throws {
        if let companion {
            return try database.inTransaction {
                let found = try companionTable.read(expecting: companion)
                try createHistoryTable(baselineOnMigrate: baselineOnMigrate, managedElsewhere: found != nil)
                try reconcile(companion, found: found)
            }
        }
        guard try !history.exists() else { return }
        try database.inTransaction { try createHistoryTable(baselineOnMigrate: baselineOnMigrate, managedElsewhere: false) }
    }

    /// A database that already holds objects is only taken on when asked to, or when another
    /// tool's history says what they are.
    private func createHistoryTable(baselineOnMigrate: Bool, managedElsewhere: Bool) throws {
        guard try !history.exists() else { return }
        let objects = managedElsewhere ? 0 : try database.userObjectCount(excluding: history.name)
        guard objects == 0 || baselineOnMigrate else {
            throw UnmanagedSchemaError(table: history.name, objectCount: objects)
        }
        try history.create()
        onEvent(.historyTableCreated(history.name))
        if objects > 0, case .record(let row) = try BaselineDecision.decide(history: [], version: MigrateOptions.baselineVersion) {
            try history.append(row, installedBy: try installedBy())
            onEvent(.baselineRecorded(MigrateOptions.baselineVersion))
        }
    }
}

/// How `migrate` runs.
public struct MigrateOptions: Sendable {
    /// How far to go, and whether to apply older pending versions (see ``PlanOptions``).
    public var plan: PlanOptions
    /// On a database that holds objects but no history, record a baseline at version 1 first.
    public var baselineOnMigrate: Bool
    /// Lock timeouts and retries on PostgreSQL (see ``LockRetryPolicy``).
    public var lockRetry: LockRetryPolicy
    /// How fast batched backfills may go (see ``BackfillSettings``).
    public var backfill: BackfillSettings

    static let baselineVersion = MigrationVersion("1")!

    /// The defaults migrate everything pending, refuse a database with objects but no history, and
    /// retry lock timeouts as `strata migrate` does.
    public init(plan: PlanOptions = PlanOptions(), baselineOnMigrate: Bool = false, lockRetry: LockRetryPolicy = LockRetryPolicy(),
                backfill: BackfillSettings = BackfillSettings()) {
        self.plan = plan
        self.baselineOnMigrate = baselineOnMigrate
        self.lockRetry = lockRetry
        self.backfill = backfill
    }
}

/// What `repair` did.
public struct RepairReport: Sendable {
    /// The changes made to the history table, in order.
    public let actions: [RepairAction]
    /// What failed migrations had left behind and was removed.
    public let removedLeftovers: [Leftover]
}

/// One migration `migrate` (or `undo`) ran.
public struct AppliedStep: Sendable {
    /// The migration and why it ran.
    public let step: PlannedStep
    /// How long its statements ran.
    public let milliseconds: Int
    /// The rank of the history row that records it.
    public let installedRank: Int
    /// Who the history records as having run it.
    public let installedBy: String
}

/// What `migrate` (or `undo`) did.
public struct MigrateReport: Sendable {
    /// The migrations run, in the order they ran; empty when there was nothing to do.
    public let applied: [AppliedStep]
    /// The newest applied version after the run.
    public let currentVersion: MigrationVersion?
}
