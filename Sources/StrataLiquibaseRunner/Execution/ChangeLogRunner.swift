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
                customChange: changeSet.customChanges.first.map { $0.string("class") ?? "customChange" }, tag: changeSet.tag)
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

    /// Runs what is pending, as Liquibase's `update` does: at most `count` changesets
    /// (`update-count`), none after the one that writes the tag `upToTag` (`update-to-tag`).
    /// - Throws: ``ChangeLogValidationError`` before anything runs; ``PreconditionHaltError`` and
    ///   ``ChangeSetFailedError`` after the changesets before the failing one were applied.
    @discardableResult
    public func update(count: Int? = nil, upToTag: String? = nil) throws -> ChangeLogReport {
        try run(ChangeLogPlanOptions(skipCustomChanges: options.skipCustomChanges, count: count, upToTag: upToTag))
    }

    /// Records what is pending as EXECUTED without running it, as Liquibase's `changelog-sync`
    /// (with `count: 1`, `mark-next-changeset-ran`; with `upToTag`, `changelog-sync-to-tag`).
    /// The changesets' preconditions are not checked, the changelog's are, as in Liquibase.
    @discardableResult
    public func changelogSync(count: Int? = nil, upToTag: String? = nil) throws -> ChangeLogReport {
        try run(ChangeLogPlanOptions(count: count, markRanOnly: true, upToTag: upToTag))
    }

    private func run(_ planOptions: ChangeLogPlanOptions) throws -> ChangeLogReport {
        try locked {
            try prepareTables()
            let rows = try table.read()
            let plan = try plan(rows, planOptions)
            guard plan.findings.isEmpty else { throw ChangeLogValidationError(findings: plan.findings) }
            try checkChangelogPreconditions(rows)
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
        var execType = decision.execType
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
        let runs = if case .run = decision { execType != .markRan } else { false }
        let statements = runs ? try rendering.statements(changeSet) : []
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
        ChangeLogWrite(
            identity: changeSet.identity, execType: execType, checksum: checksum,
            description: rendering.description(changeSet), comments: changeSet.comment ?? "", tag: changeSet.tag,
            contexts: Self.contextsColumn(changeSet),
            labels: changeSet.labelsInOrder.isEmpty ? nil : changeSet.labelsInOrder.joined(separator: ","),
            deploymentID: deployment)
    }

    /// CONTEXTS as Liquibase writes it: the includes' filters, nearest first, then its own,
    /// joined by AND, each in parentheses when it holds a comma or a space.
    static func contextsColumn(_ changeSet: ChangeSet) -> String? {
        let filters = (changeSet.inheritedContextFilters.reversed() + [changeSet.contextFilter]).filter { !$0.expression.isEmpty }
        guard !filters.isEmpty else { return nil }
        return filters.map(\.description).map { $0.contains(",") || $0.contains(" ") ? "(\($0))" : $0 }.joined(separator: " AND ")
    }

    /// The changelog's own preconditions (an included changelog's among them), checked before
    /// anything runs, as Liquibase's validation checks them: WARN only says so; every other
    /// onFail and onError stops the run, CONTINUE and MARK_RAN included (they act on changesets only).
    private func checkChangelogPreconditions(_ rows: [ChangeLogRow]) throws {
        let probe = DatabaseProbe(database: database, rows: rows, properties: changelog.properties, databaseName: databaseName)
        for block in changelog.preconditions {
            switch PreconditionVerdict.of(PreconditionEvaluator.evaluate(block, probe: probe), under: block) {
            case .run: continue
            case .runWithWarning(let message): onEvent(.warning("\(block.location): the changelog's precondition: \(message)."))
            case .skip(let message), .markRan(let message), .halt(let message):
                throw PreconditionHaltError(changeSet: nil, location: block.location, message: message)
            }
        }
    }

    // MARK: - Rollback, tag, checksums

    /// Undoes changesets, newest first, each in one transaction with the removal of its row.
    /// Rows recorded as MARK_RAN lose their row only: their changes never ran.
    /// - Throws: ``ChangeLogRollbackError`` before anything runs when a row's changeset is not in
    ///   the changelog or has no rollback.
    @discardableResult
    public func rollback(_ request: ChangeLogRollbackRequest) throws -> ChangeLogReport {
        try locked {
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
        let leftOut = Set(changelog.changeSets.filter { $0.ignore || filterReason($0) != nil }.map(\.identity))
        return try RollbackSelection.rows(rows, for: request, leavingOut: leftOut).map { row in
            guard let changeSet = byIdentity[row.identity] else {
                throw ChangeLogRollbackError(description: "DATABASECHANGELOG holds \(row.identity), which is not in \(changelog.path), "
                    + "so Strata does not know how to roll it back. Nothing was rolled back; roll back fewer changesets, or run "
                    + "with the changelog that applied it.")
            }
            return (row, changeSet, row.execType == ExecType.markRan.rawValue ? [] : try rollbackStatements(of: changeSet))
        }
    }

    /// Its `<rollback>`, else the inverse of its changes.
    /// - Throws: ``ChangeLogRollbackError`` when it has neither.
    func rollbackStatements(of changeSet: ChangeSet) throws -> [SchemaStatement] {
        do {
            return try rendering.rollbackStatements(changeSet)
        } catch {
            // That error already says the changeset cannot be rolled back, and what to do.
            if let error = error as? ChangelogError, case .noAutomaticRollback = error.reason {
                throw ChangeLogRollbackError(description: "\(error) Nothing was rolled back.")
            }
            let cause = "\(error)"
            throw ChangeLogRollbackError(description: "\(changeSet.location): changeset \(changeSet.identity) cannot be rolled back: "
                + "\(cause)\(cause.hasSuffix(".") ? "" : ".") Nothing was rolled back; add a <rollback> block to it.")
        }
    }

    /// The `tag` command, as Liquibase's: the newest row takes the tag, in place of any it had;
    /// a tag already given elsewhere is given again. With no row yet, Liquibase's own empty
    /// changeset (`<time>::liquibase::liquibase-internal`) is recorded first to carry it.
    /// - Returns: the changeset whose row took the tag.
    @discardableResult
    public func tag(_ name: String) throws -> ChangeSetIdentity {
        try locked {
            try prepareTables()
            let newest: ChangeSetIdentity
            if let last = try table.read().last {
                newest = last.identity
            } else {
                let milliseconds = Int64(Date().timeIntervalSince1970 * 1000)
                let empty = ChangeSet(id: String(milliseconds), author: "liquibase", filePath: "liquibase-internal",
                                      physicalPath: "liquibase-internal", location: ChangelogLocation(file: "liquibase-internal", line: 0))
                let row = write(empty, .executed, checksum: try rendering.checksum(empty, version: .v9),
                                deployment: DeploymentID.make(epochMilliseconds: milliseconds))
                try database.inTransaction { try table.record(row) }
                newest = empty.identity
            }
            try database.inTransaction { try table.tagNewest(name) }
            return newest
        }
    }

    /// `clear-checksums`: every stored checksum is emptied; the next update stores the current ones.
    /// - Returns: how many rows there are.
    @discardableResult
    public func clearChecksums() throws -> Int {
        try locked {
            try prepareTables()
            try database.inTransaction { try table.clearChecksums() }
            return try table.read().count
        }
    }

    // MARK: - Locks and tables

    /// Strata's own lock, then Liquibase's row for the whole run, as Liquibase holds it: a
    /// Liquibase process never runs in the middle of a Strata run, nor the reverse. The row is
    /// released however the run ends (a release that fails after an error leaves it to the next
    /// Strata run, which takes it back).
    func locked<T>(_ body: () throws -> T) throws -> T {
        try database.withMigrationLock(for: table.name) {
            try database.inTransaction { try lock.createIfMissing() }
            let lockTable = lock.statements.lockTable
            try lock.acquire(
                as: StrataLockOwner.current(), othersExcluded: database.migrationLockExcludesOtherRuns,
                wait: options.liquibaseLockWait, sleep: sleep,
                onWait: { holder in
                    onEvent(.waitingForLiquibaseLock("Waiting for \(lockTable), held by \(holder.lockedBy ?? "an unknown host") "
                        + "since \(holder.granted ?? "an unknown time")."))
                },
                onTakeBack: { holder in
                    onEvent(.warning("\(lockTable) was left locked by \(holder.lockedBy ?? "a Strata run") since "
                        + "\(holder.granted ?? "an unknown time"), a Strata run that has ended; this run takes it back."))
                })
            let result: T
            do {
                result = try body()
            } catch {
                try? lock.release()
                throw error
            }
            try lock.release()
            return result
        }
    }

    /// `DATABASECHANGELOG`, created as Liquibase creates it (its lock table is there already).
    private func prepareTables() throws {
        try database.inTransaction {
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
