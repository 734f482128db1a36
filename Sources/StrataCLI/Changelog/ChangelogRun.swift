import ArgumentParser
import Strata
import StrataKit
import StrataLiquibase
import StrataLiquibaseRunner

/// The commands' side for a Liquibase changelog (`--changelog` or `changelog` in strata.toml):
/// migrate, info, status, validate and undo work on its changesets and `DATABASECHANGELOG`.
struct ChangelogRun {
    let session: Session
    let runner: ChangeLogRunner
    let json: Bool

    /// Nil when no changelog is configured: the command works on its migration folders.
    static func open(_ session: Session, json: Bool, create: Bool) throws -> ChangelogRun? {
        guard session.configuration.changelog != nil else { return nil }
        let runner = try session.configuration.makeChangeLogRunner(create: create) { Self.print($0, quiet: json) }
        return ChangelogRun(session: session, runner: runner, json: json)
    }

    /// Progress lines on standard output, warnings and lock waits on standard error.
    static func print(_ event: ChangeLogEvent, quiet: Bool) {
        switch event {
        case .recorded(let identity, let execType, let milliseconds):
            if !quiet { Terminal.print("  \(execType.rawValue.padding(9))\(identity) (\(MigrationLabels.duration(milliseconds)))") }
        case .rolledBack(let identity, let milliseconds):
            if !quiet { Terminal.print("  ROLLED BACK \(identity) (\(MigrationLabels.duration(milliseconds)))") }
        case .skipped(let identity, let reason):
            if !quiet { Terminal.print("  SKIPPED  \(identity): \(reason) (onFail CONTINUE; tried again next run)") }
        case .tablesCreated:
            if !quiet { Terminal.print("  Created DATABASECHANGELOG and DATABASECHANGELOGLOCK") }
        case .warning(let message): Terminal.error("warning: \(message)")
        case .waitingForLiquibaseLock(let message): Terminal.error(message)
        }
    }

    struct RunReport: Encodable {
        let changeSets: [Entry]
        struct Entry: Encodable {
            let changeSet: String
            let execType: String
        }
    }

    func migrate(count: Int?) throws {
        if !json { Terminal.print("Updating \(session.display) from \(runner.changelog.path) (\(runner.historyTable))") }
        let report = try runner.update(count: count)
        if json {
            try JSONOutput.print(RunReport(changeSets: report.recorded.map { .init(changeSet: $0.identity.description, execType: $0.execType.rawValue) }))
        } else {
            Terminal.print(report.recorded.isEmpty ? "Up to date: no changeset to run." : "Recorded \(Self.count(report.recorded.count)).")
        }
    }

    func undo(_ request: ChangeLogRollbackRequest) throws {
        if !json { Terminal.print("Rolling back on \(session.display) from \(runner.changelog.path) (\(runner.historyTable))") }
        let report = try runner.rollback(request)
        if json {
            try JSONOutput.print(RunReport(changeSets: report.rolledBack.map { .init(changeSet: $0.description, execType: "ROLLED_BACK") }))
        } else {
            Terminal.print(report.rolledBack.isEmpty ? "Nothing to roll back." : "Rolled back \(Self.count(report.rolledBack.count)).")
        }
    }

    struct InfoEntry: Encodable {
        let changeSet: String
        let location: String
        let state: String
        let executed: String?
    }

    /// Every changeset of the changelog with its state, then the rows no changeset matches.
    func info() throws {
        let status = try runner.status()
        var executed: [ChangeSetIdentity: ChangeLogRow] = [:]
        for row in status.rows { executed[row.identity] = row }
        let entries = status.plan.changeSets.map { planned in
            let changeSet = runner.changelog.changeSets[planned.index]
            let row = executed[planned.identity]
            return InfoEntry(changeSet: planned.identity.description, location: changeSet.location.description,
                             state: Self.state(planned.decision, row: row), executed: row?.dateExecuted)
        } + status.plan.unknownRows.map {
            InfoEntry(changeSet: $0.identity.description, location: "", state: "\($0.execType), not in the changelog", executed: $0.dateExecuted)
        }
        if json { return try JSONOutput.print(entries) }
        var table = TextTable("Changeset", "State", "Executed", "Where")
        for entry in entries { table.add([entry.changeSet, entry.state, entry.executed ?? "", entry.location]) }
        Terminal.print("Database: \(session.display)  Changelog: \(runner.changelog.path)")
        Terminal.print(table.rendered)
    }

    static func state(_ decision: ChangeSetDecision, row: ChangeLogRow?) -> String {
        switch decision {
        case .run(.executed): "pending"
        case .run(.reran): "\(row?.execType ?? "EXECUTED"), runs again"
        case .run(.markRan), .markRan: "pending (MARK_RAN)"
        case .skip(.alreadyRan): row?.execType ?? "EXECUTED"
        case .skip(.filtered(let reason)): (row.map { "\($0.execType), " } ?? "") + "not selected: \(reason)"
        case .skip(.ignored): "ignored"
        case .skip(.beyondCount): "pending"
        }
    }

    func status(exitCode: Bool) throws {
        let status = try runner.status()
        let pending = status.plan.steps.map(\.identity.description)
        if json {
            try JSONOutput.print(StatusCommand.Report(currentVersion: nil, pending: pending, findings: status.plan.findings.map(\.description)))
        } else {
            Terminal.print("\(Self.count(status.rows.count)) in DATABASECHANGELOG; "
                + (pending.isEmpty ? "up to date." : "\(pending.count) pending: \(pending.joined(separator: ", "))."))
            for finding in status.plan.findings { Terminal.error("  - \(finding)") }
        }
        guard exitCode else { return }
        if !status.plan.findings.isEmpty { throw ExitCode(1) }
        if !pending.isEmpty { throw ExitCode(3) }
    }

    func validate() throws {
        let status = try runner.status()
        let findings = status.plan.findings.map(\.description)
        if json {
            try JSONOutput.print(ValidateCommand.Report(valid: findings.isEmpty, findings: findings))
        } else if findings.isEmpty {
            Terminal.print("Validated \(Self.count(status.plan.changeSets.count)) (\(status.rows.count) in DATABASECHANGELOG): the history matches the changelog.")
        } else {
            Terminal.error("Validation failed with \(findings.count) finding\(findings.count == 1 ? "" : "s"):")
            for finding in findings { Terminal.error("  - \(finding)") }
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    static func count(_ number: Int) -> String { number == 1 ? "1 changeset" : "\(number) changesets" }
}

extension String {
    /// Padded with spaces to `width` characters, for columns in progress lines.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
