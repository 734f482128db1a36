#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataLiquibase
import StrataSchema

/// The choices of a changelog run.
public struct ChangeLogRunOptions: Sendable {
    /// `--contexts`: empty runs every changeset but those marked `@`.
    public var contexts: Set<String>
    /// `--labels`.
    public var labels: LabelExpression
    /// Records changesets with a Java `customChange` as MARK_RAN instead of refusing.
    public var skipCustomChanges: Bool
    /// How long to wait for a Liquibase process that holds `DATABASECHANGELOGLOCK`.
    public var liquibaseLockWait: Duration

    public init(contexts: Set<String> = [], labels: LabelExpression = .empty, skipCustomChanges: Bool = false,
                liquibaseLockWait: Duration = .seconds(60)) {
        self.contexts = contexts
        self.labels = labels
        self.skipCustomChanges = skipCustomChanges
        self.liquibaseLockWait = liquibaseLockWait
    }
}

/// What a run did: each changeset recorded or rolled back, in order.
public struct ChangeLogReport: Sendable, Equatable {
    public var recorded: [(identity: ChangeSetIdentity, execType: ExecType)] = []
    public var rolledBack: [ChangeSetIdentity] = []

    public static func == (lhs: ChangeLogReport, rhs: ChangeLogReport) -> Bool {
        lhs.recorded.map(\.identity) == rhs.recorded.map(\.identity) && lhs.recorded.map(\.execType) == rhs.recorded.map(\.execType)
            && lhs.rolledBack == rhs.rolledBack
    }
}

/// The changelog's state against the database, for `info`, `status` and `validate`.
public struct ChangeLogStatus: Sendable {
    public let rows: [ChangeLogRow]
    public let plan: ChangeLogPlan
}

/// Runs a Liquibase changelog against a database the way Liquibase's `update` does, keeping
/// `DATABASECHANGELOG` as Liquibase keeps it, so either tool can carry on where the other stopped.
///
/// Decisions are made by ``ChangeLogPlanner`` from values; this class reads the history, holds
/// the locks, checks preconditions through the driver and runs what the plan says.
public final class ChangeLogRunner {
    public let database: any Database
    public let changelog: LiquibaseChangelog
    public var options: ChangeLogRunOptions
    public var onEvent: (ChangeLogEvent) -> Void
    let rendering: any ChangeSetRendering
    package let table: ChangeLogTable
    let lock: LiquibaseLock
    /// Waits between looks at a held Liquibase lock; tests replace it.
    package var sleep: (Duration) -> Void = { pauseFor($0) }

    /// - Parameter schema: where `DATABASECHANGELOG` lives; nil for the connection's default schema.
    public init(database: any Database, changelog: LiquibaseChangelog, rendering: any ChangeSetRendering,
                options: ChangeLogRunOptions = ChangeLogRunOptions(), schema: String? = nil,
                onEvent: @escaping (ChangeLogEvent) -> Void = { _ in }) {
        self.database = database
        self.changelog = changelog
        self.rendering = rendering
        self.options = options
        self.onEvent = onEvent
        self.table = ChangeLogTable(database: database, schema: schema)
        self.lock = LiquibaseLock(database: database, schema: schema)
    }

    /// Liquibase's short name for the engine, as `dbms` attributes and preconditions write it.
    public var databaseName: String { database.dialect is PostgresDialect ? "postgresql" : "sqlite" }

    /// `DATABASECHANGELOG`, as the engine names it.
    public var historyTable: TableName { table.name }

    // MARK: - Reading

    /// Every row, oldest first. Changes nothing.
    public func rows() throws -> [ChangeLogRow] { try table.read() }

    /// What `update` would do now. Changes nothing, not even by creating the tables.
    public func status(count: Int? = nil) throws -> ChangeLogStatus {
        let rows = try table.read()
        return ChangeLogStatus(rows: rows, plan: try plan(rows, ChangeLogPlanOptions(skipCustomChanges: options.skipCustomChanges, count: count)))
    }

    func plan(_ rows: [ChangeLogRow], _ planOptions: ChangeLogPlanOptions) throws -> ChangeLogPlan {
        ChangeLogPlanner.plan(try facts(rows), rows: rows, options: planOptions)
    }

    /// The planner's view of each changeset. The V8 checksum is computed only where a row holds one.
    func facts(_ rows: [ChangeLogRow]) throws -> [ChangeSetFacts] {
        let legacy = Set(rows.filter { $0.checksum?.hasPrefix("8:") == true }.map(\.identity))
        return try changelog.changeSets.map { changeSet in
            ChangeSetFacts(
                identity: changeSet.identity, location: changeSet.location.description,
                checksum: try rendering.checksum(changeSet, version: .v9),
                checksumV8: legacy.contains(changeSet.identity) ? try rendering.checksum(changeSet, version: .v8) : nil,
                validCheckSums: changeSet.validCheckSums, runOnChange: changeSet.runOnChange, runAlways: changeSet.runAlways,
                ignored: changeSet.ignore, filteredOut: filterReason(changeSet),
                customChange: changeSet.customChanges.first.map { $0.string("class") ?? "customChange" })
        }
    }

    private func filterReason(_ changeSet: ChangeSet) -> String? {
        if !changeSet.matches(contexts: options.contexts) {
            let filters = ([changeSet.contextFilter] + changeSet.inheritedContextFilters).filter { !$0.expression.isEmpty }
            return "context " + filters.map { "'\($0)'" }.joined(separator: " and ")
        }
        if !changeSet.matches(labelFilter: options.labels) {
            return "labels '\(changeSet.labels.sorted().joined(separator: ","))' against '\(options.labels)'"
        }
        if !changeSet.runs(on: databaseName) { return "dbms '\(changeSet.dbms.joined(separator: ","))'" }
        return nil
    }

    // MARK: - Update

    /// Runs what is pending (at most `count` changesets), as Liquibase's `update` does.
    /// - Throws: ``ChangeLogValidationError`` before anything runs; ``PreconditionHaltError`` and
    ///   ``ChangeSetFailedError`` after the changesets before the failing one were applied.
    @discardableResult
    public func update(count: Int? = nil) throws -> ChangeLogReport {
        try run(ChangeLogPlanOptions(skipCustomChanges: options.skipCustomChanges, count: count))
    }

    /// Records what is pending as run without running it (`changelog-sync`; with `count: 1`,
    /// `mark-next-changeset-ran`).
    @discardableResult
    public func changelogSync(count: Int? = nil) throws -> ChangeLogReport {
        try run(ChangeLogPlanOptions(count: count, markRanOnly: true))
    }

    private func run(_ planOptions: ChangeLogPlanOptions) throws -> ChangeLogReport {
        try locked {
            try prepareTables()
            let rows = try table.read()
            let plan = try plan(rows, planOptions)
            guard plan.findings.isEmpty else { throw ChangeLogValidationError(findings: plan.findings) }
            if !planOptions.markRanOnly {
                guard try changelogPreconditionsAllowRun(rows) else { return ChangeLogReport() }
            }
            if !plan.checksumUpgrades.isEmpty {
                try database.inTransaction {
                    for upgrade in plan.checksumUpgrades { try table.setChecksum(upgrade.checksum, of: upgrade.identity) }
                }
            }
            let deployment = DeploymentID.make(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            let probe = DatabaseProbe(database: database, rows: rows, properties: changelog.properties, databaseName: databaseName)
            var report = ChangeLogReport()
            for step in plan.steps {
                let changeSet = changelog.changeSets[step.index]
                if let execType = try apply(changeSet, step, probe: probe, deployment: deployment) {
                    report.recorded.append((changeSet.identity, execType))
                }
            }
            return report
        }
    }

    /// Runs one changeset (or records it); returns how it was recorded, nil when it was not.
    private func apply(_ changeSet: ChangeSet, _ step: PlannedChangeSet, probe: DatabaseProbe, deployment: String) throws -> ExecType? {
        let decision = step.decision
        let clock = ContinuousClock()
        let start = clock.now
        var execType: ExecType
        switch decision {
        case .run(let type): execType = type
        case .markRan, .skip: execType = .markRan
        }
        if case .run = decision, let block = changeSet.preconditions {
            switch PreconditionVerdict.of(PreconditionEvaluator.evaluate(block, probe: probe), under: block) {
            case .run: break
            case .runWithWarning(let message): onEvent(.warning("\(changeSet.location): changeset \(changeSet.identity): \(message); running it (onFail WARN)."))
            case .skip(let message):
                onEvent(.skipped(changeSet.identity, reason: message))
                return nil
            case .markRan: execType = .markRan
            case .halt(let message): throw PreconditionHaltError(changeSet: changeSet.identity, location: block.location, message: message)
            }
        }
        let statements = execType == .markRan ? [] : try rendering.statements(changeSet)
        let row = write(changeSet, execType, checksum: step.checksum, deployment: deployment)
        do {
            try execute(statements, of: changeSet, inTransaction: changeSet.runInTransaction) { try table.record(row) }
        } catch let failure as ChangeSetFailedError where !changeSet.failOnError {
            onEvent(.warning("\(failure.description) It has failOnError=\"false\", so the run goes on without recording it."))
            return nil
        }
        onEvent(.recorded(changeSet.identity, execType, milliseconds: Int((clock.now - start) / .milliseconds(1))))
        return execType
    }

    /// Runs a changeset's statements and then `record`, in one transaction unless `inTransaction`
    /// is false (then only `record` has one). Statements marked to run outside a transaction run
    /// before it when they lead, after it when they trail.
    private func execute(_ statements: [SchemaStatement], of changeSet: ChangeSet, inTransaction: Bool,
                         then record: () throws -> Void) throws {
        let leading = statements.prefix { $0.outsideTransaction }
        let rest = statements.dropFirst(leading.count)
        let trailing = rest.suffix(from: rest.lastIndex { !$0.outsideTransaction }.map { $0 + 1 } ?? rest.startIndex)
        let inner = rest.prefix(upTo: trailing.startIndex)
        try run(leading, of: changeSet, rolledBack: false)
        if inTransaction {
            try database.inTransaction {
                try run(inner, of: changeSet, rolledBack: true)
                try record()
            }
        } else {
            try run(inner, of: changeSet, rolledBack: false)
            try database.inTransaction { try record() }
        }
        try run(trailing, of: changeSet, rolledBack: false)
    }

    private func run(_ statements: ArraySlice<SchemaStatement>, of changeSet: ChangeSet, rolledBack: Bool) throws {
        for statement in statements {
            do {
                try database.executeScript(statement.sql)
            } catch {
                throw ChangeSetFailedError(changeSet: changeSet.identity, location: changeSet.location, statement: statement.sql,
                                           message: error.message, rolledBack: rolledBack)
            }
        }
    }

    func write(_ changeSet: ChangeSet, _ execType: ExecType, checksum: String, deployment: String) -> ChangeLogWrite {
        let contexts = ([changeSet.contextFilter] + changeSet.inheritedContextFilters).filter { !$0.expression.isEmpty }
        return ChangeLogWrite(
            identity: changeSet.identity, execType: execType, checksum: checksum,
            description: rendering.description(changeSet), comments: changeSet.comment ?? "", tag: changeSet.tag,
            contexts: contexts.isEmpty ? nil : contexts.count == 1 ? contexts[0].description : contexts.map { "(\($0))" }.joined(separator: " AND "),
            labels: changeSet.labels.isEmpty ? nil : changeSet.labels.sorted().joined(separator: ","),
            deploymentID: deployment)
    }

    /// The changelog's own preconditions: HALT stops the run, WARN only says so, CONTINUE and
    /// MARK_RAN leave the whole changelog for a later run.
    private func changelogPreconditionsAllowRun(_ rows: [ChangeLogRow]) throws -> Bool {
        let probe = DatabaseProbe(database: database, rows: rows, properties: changelog.properties, databaseName: databaseName)
        for block in changelog.preconditions {
            switch PreconditionVerdict.of(PreconditionEvaluator.evaluate(block, probe: probe), under: block) {
            case .run: continue
            case .runWithWarning(let message): onEvent(.warning("\(block.location): the changelog's precondition: \(message)."))
            case .skip(let message), .markRan(let message):
                onEvent(.warning("\(block.location): the changelog's precondition failed (\(message)); nothing ran."))
                return false
            case .halt(let message): throw PreconditionHaltError(changeSet: nil, location: block.location, message: message)
            }
        }
        return true
    }

    // MARK: - Rollback, tag, checksums

    /// Undoes changesets, newest first, each in one transaction with the removal of its row.
    /// Rows recorded as MARK_RAN lose their row only: their changes never ran.
    /// - Throws: ``ChangeLogRollbackError`` before anything runs when a row's changeset is not in
    ///   the changelog or has no rollback.
    @discardableResult
    public func rollback(_ request: ChangeLogRollbackRequest) throws -> ChangeLogReport {
        try locked {
            try lock.waitUntilFree(wait: options.liquibaseLockWait, sleep: sleep)
            let steps = try rollbackSteps(try table.read(), request)
            var report = ChangeLogReport()
            for (row, changeSet, statements) in steps {
                let clock = ContinuousClock()
                let start = clock.now
                try execute(statements, of: changeSet, inTransaction: true) { try table.delete(row.identity) }
                report.rolledBack.append(row.identity)
                onEvent(.rolledBack(row.identity, milliseconds: Int((clock.now - start) / .milliseconds(1))))
            }
            return report
        }
    }

    func rollbackSteps(_ rows: [ChangeLogRow], _ request: ChangeLogRollbackRequest) throws -> [(ChangeLogRow, ChangeSet, [SchemaStatement])] {
        var byIdentity: [ChangeSetIdentity: ChangeSet] = [:]
        for changeSet in changelog.changeSets { byIdentity[changeSet.identity] = changeSet }
        return try RollbackSelection.rows(rows, for: request).map { row in
            guard let changeSet = byIdentity[row.identity] else {
                throw ChangeLogRollbackError(description: "DATABASECHANGELOG holds \(row.identity), which is not in \(changelog.path), "
                    + "so Strata does not know how to roll it back. Nothing was rolled back; roll back fewer changesets, or run "
                    + "with the changelog that applied it.")
            }
            do {
                return (row, changeSet, row.execType == ExecType.markRan.rawValue ? [] : try rendering.rollbackStatements(changeSet))
            } catch {
                throw ChangeLogRollbackError(description: "\(changeSet.location): changeset \(row.identity) cannot be rolled back: "
                    + "\(error). Nothing was rolled back; add a <rollback> block to it.")
            }
        }
    }

    /// The `tag` command: the newest row takes the tag.
    public func tag(_ name: String) throws {
        try locked {
            guard try !table.read().isEmpty else {
                throw ChangeLogRollbackError(description: "DATABASECHANGELOG has no rows to tag yet; run an update first.")
            }
            try database.inTransaction { try table.tagNewest(name) }
        }
    }

    /// `clear-checksums`: every stored checksum is emptied and recomputed by the next update.
    public func clearChecksums() throws {
        try locked {
            guard try table.exists() else { return }
            try database.inTransaction { try table.clearChecksums() }
        }
    }

    // MARK: - Locks and tables

    /// Strata's own lock for exclusion, and no Liquibase process in the middle of a run.
    func locked<T>(_ body: () throws -> T) throws -> T {
        try database.withMigrationLock(for: table.name) {
            if let holder = try lock.holder() {
                onEvent(.waitingForLiquibaseLock("Waiting for Liquibase's lock (\(lock.statements.lockTable)), held by "
                    + "\(holder.lockedBy ?? "an unknown host") since \(holder.granted ?? "an unknown time")."))
                try lock.waitUntilFree(wait: options.liquibaseLockWait, sleep: sleep)
            }
            return try body()
        }
    }

    /// Both of Liquibase's tables, created as Liquibase creates them, lock table first.
    private func prepareTables() throws {
        try database.inTransaction {
            try lock.createIfMissing()
            if try table.createIfMissing() { onEvent(.tablesCreated) }
        }
    }
}

extension Error {
    /// The database's own message where the error carries one.
    var message: String {
        (self as? ScriptError)?.message ?? "\(self)"
    }
}
