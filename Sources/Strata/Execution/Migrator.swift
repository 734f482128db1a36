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
            var entries = try history.read()
            var expected = HistoryFingerprint(entries)
            var plan = try validatedPlan(entries, options.plan, warn: true)
            var applied: [AppliedStep] = []
            var next = plan.steps.startIndex
            while next < plan.steps.endIndex {
                let step = plan.steps[next]
                guard let outcome = try apply(step, expecting: expected) else {
                    onEvent(.replanned)
                    entries = try history.read()
                    expected = HistoryFingerprint(entries)
                    plan = try validatedPlan(entries, options.plan, warn: false)
                    next = plan.steps.startIndex
                    continue
                }
                applied.append(outcome)
                entries.append(outcome.entry)
                expected = HistoryFingerprint(count: expected.count + 1, maxRank: outcome.entry.installedRank)
                next += 1
            }
            let current = Planner.plan(catalog: catalog, history: entries, options: options.plan).currentVersion
            return MigrateReport(applied: applied, currentVersion: current)
        }
    }

    /// Everything that disagrees between the files and the history.
    public func validate() throws -> [Finding] {
        try info().findings
    }

    /// Makes the history agree with the files: removes failed rows, realigns checksums and
    /// descriptions, and marks applied migrations whose file is gone as deleted.
    public func repair() throws -> [RepairAction] {
        try database.withMigrationLock(for: history.name) {
            guard try history.exists() else { return [] }
            return try database.inTransaction {
                let actions = RepairAction.actions(for: Planner.plan(catalog: catalog, history: try history.read()))
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
                return actions
            }
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

    /// Runs one step in its own transaction together with its history row. Returns nil, having
    /// changed nothing, when another process wrote to the history since `expected`.
    private func apply(_ step: PlannedStep, expecting expected: HistoryFingerprint) throws -> AppliedStep? {
        try database.inTransaction { () throws -> AppliedStep? in
            guard try history.fingerprint() == expected else { return nil }
            onEvent(.started(step))
            let clock = ContinuousClock()
            let start = clock.now
            do throws(ScriptError) {
                try database.executeScript(step.migration.sql)
            } catch {
                onEvent(.failed(step))
                throw MigrationFailedError(step: step, failure: error, engine: database.dialect.name)
            }
            let milliseconds = Int((clock.now - start) / .milliseconds(1))
            let row = NewHistoryRow(
                version: step.migration.version, description: step.migration.description, type: step.type,
                script: step.migration.script, checksum: step.migration.checksum, executionTime: milliseconds,
                success: true)
            let rank = try history.append(row, installedBy: installedBy, after: expected)
            onEvent(.applied(step, milliseconds: milliseconds))
            return AppliedStep(step: step, milliseconds: milliseconds, entry: HistoryEntry(
                installedRank: rank, version: row.version, description: row.description, type: row.type,
                script: row.script, checksum: row.checksum, installedBy: installedBy, installedOn: "",
                executionTime: milliseconds, success: true))
        }
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

    static let baselineVersion = MigrationVersion("1")!

    public init(plan: PlanOptions = PlanOptions(), baselineOnMigrate: Bool = false) {
        self.plan = plan
        self.baselineOnMigrate = baselineOnMigrate
    }
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
