#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataLiquibase

/// The SQL a run would execute, as a script to read or apply by hand (Liquibase's `update-sql`
/// and `rollback-sql`). Reads the history; changes nothing.
extension ChangeLogRunner {
    /// What `update` would run, with the `DATABASECHANGELOG` writes, in order. Preconditions are
    /// taken as passed unless their `onSqlOutput` is TEST (then checked now) or FAIL (refused).
    public func updateSQL(count: Int? = nil, upToTag: String? = nil) throws -> String {
        try script(ChangeLogPlanOptions(skipCustomChanges: options.skipCustomChanges, count: count, upToTag: upToTag))
    }

    /// What `changelog-sync` would write (`changelog-sync-sql`): the rows, no changes.
    public func changelogSyncSQL(count: Int? = nil, upToTag: String? = nil) throws -> String {
        try script(ChangeLogPlanOptions(count: count, markRanOnly: true, upToTag: upToTag))
    }

    private func script(_ planOptions: ChangeLogPlanOptions) throws -> String {
        let rows = try table.read()
        let plan = try plan(rows, planOptions)
        guard plan.findings.isEmpty else { throw ChangeLogValidationError(findings: plan.findings) }
        var script: [String] = []
        if try !table.exists() {
            script.append("-- Create Liquibase's tables")
            script += (lock.statements.createLock + [table.statements.createHistory]).map { $0 + ";" }
        }
        for upgrade in plan.checksumUpgrades {
            script.append(database.dialect.render(table.statements.setChecksum(upgrade.checksum, of: upgrade.identity)) + ";")
        }
        let probe = DatabaseProbe(database: database, rows: rows, properties: changelog.properties, databaseName: databaseName)
        let deployment = DeploymentID.make(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        for step in plan.steps {
            let changeSet = changelog.changeSets[step.index]
            var execType = step.decision.execType
            if case .run = step.decision, let block = changeSet.preconditions {
                switch try previewVerdict(block, of: changeSet, probe: probe) {
                case .skip: continue
                case .markRan: execType = .markRan
                default: break
                }
            }
            script.append("-- Changeset \(changeSet.identity)")
            if case .run = step.decision, execType != .markRan {
                script += try rendering.statements(changeSet).map { terminated($0.sql) }
            }
            let row = write(changeSet, execType, checksum: step.checksum, deployment: deployment)
            let record = row.execType == .reran ? table.statements.update(row) : table.statements.insert(row)
            script.append(database.dialect.render(record) + ";")
        }
        return script.joined(separator: "\n") + (script.isEmpty ? "" : "\n")
    }

    /// What `rollback` would run, newest changeset first.
    public func rollbackSQL(_ request: ChangeLogRollbackRequest) throws -> String {
        var script: [String] = []
        for (row, _, statements) in try rollbackSteps(try table.read(), request) {
            script.append("-- Rolling back changeset \(row.identity)")
            script += statements.map { terminated($0.sql) }
            script.append(database.dialect.render(table.statements.delete(row.identity)) + ";")
        }
        return script.joined(separator: "\n") + (script.isEmpty ? "" : "\n")
    }

    /// What rolling back every changeset `update` would run takes (Liquibase's
    /// `future-rollback-sql`), newest first: on an empty database, the whole changelog's rollback.
    public func futureRollbackSQL() throws -> String {
        let plan = try plan(try table.read(), ChangeLogPlanOptions(skipCustomChanges: options.skipCustomChanges))
        guard plan.findings.isEmpty else { throw ChangeLogValidationError(findings: plan.findings) }
        var script: [String] = []
        for step in plan.steps.reversed() where step.decision != .run(.reran) {
            let changeSet = changelog.changeSets[step.index]
            script.append("-- Rolling back changeset \(changeSet.identity)")
            if step.decision == .run(.executed) {
                script += try rollbackStatements(of: changeSet).map { terminated($0.sql) }
            }
            script.append(database.dialect.render(table.statements.delete(changeSet.identity)) + ";")
        }
        return script.joined(separator: "\n") + (script.isEmpty ? "" : "\n")
    }

    private func previewVerdict(_ block: Preconditions, of changeSet: ChangeSet, probe: DatabaseProbe) throws -> PreconditionVerdict {
        switch block.onSqlOutput {
        case .ignore: return .run
        case .fail:
            throw PreconditionHaltError(changeSet: changeSet.identity, location: block.location,
                                        message: "its onSqlOutput is FAIL, so no SQL is written for it")
        case .test:
            let verdict = PreconditionVerdict.of(PreconditionEvaluator.evaluate(block, probe: probe), under: block)
            if case .halt(let message) = verdict {
                throw PreconditionHaltError(changeSet: changeSet.identity, location: block.location, message: message)
            }
            return verdict
        }
    }

    private func terminated(_ statement: String) -> String {
        let trimmed = statement.trimmingWhitespace
        return trimmed.hasSuffix(";") ? trimmed : trimmed + ";"
    }
}
