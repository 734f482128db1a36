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

    /// The changelog a Liquibase-only command works on; without one, a usage error that names
    /// `--changelog` and says what `otherwise` does for migration folders.
    static func required(_ session: Session, json: Bool, create: Bool, command: String, otherwise: String) throws -> ChangelogRun {
        guard let run = try open(session, json: json, create: create) else {
            throw ConfigurationError("strata \(command) works on a Liquibase changelog's DATABASECHANGELOG: add --changelog FILE "
                + "(or set changelog in strata.toml); \(otherwise).")
        }
        return run
    }

    /// A command or flag that works only on migration folders refuses a configured changelog,
    /// instead of quietly working on Strata's own history table; `instead` names what to use.
    static func refuse(_ session: Session, _ what: String, instead: String) throws {
        guard session.configuration.changelog != nil else { return }
        throw ConfigurationError("\(what) works on migration folders and Strata's history table, not on a Liquibase changelog's "
            + "DATABASECHANGELOG: \(instead); or drop --changelog (and changelog in strata.toml) to work on the migration folders.")
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

    /// `--target` as Liquibase's update-count: `next` and `+N` are counts, `latest` is every
    /// changeset; a version or `current` means nothing for changesets and is refused.
    static func updateCount(for target: MigrationTarget?) throws -> Int? {
        switch target {
        case nil, .latest?: return nil
        case .next(let count)?: return count
        case .version(let version)?:
            throw ConfigurationError("--target \(version) names a version, and a changelog's changesets have none: with "
                + "--changelog, --target takes next, +N (Liquibase's update-count) or latest; --tag T stops after the changeset "
                + "that writes tag T (update-to-tag).")
        case .current?:
            throw ConfigurationError("--target current keeps a migration folder at its version, which a changelog has not: with "
                + "--changelog, --target takes next, +N (Liquibase's update-count) or latest.")
        }
    }

    func migrate(count: Int?, upToTag: String?) throws {
        if !json { Terminal.print("Updating \(session.display) from \(runner.changelog.path) (\(runner.historyTable))") }
        let report = try runner.update(count: count, upToTag: upToTag)
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

    /// `changelog-sync` (all pending) and `mark-next-changeset-ran` (`count` 1).
    func sync(count: Int?, upToTag: String?, dryRun: Bool) throws {
        if dryRun { return Terminal.print(try runner.changelogSyncSQL(count: count, upToTag: upToTag)) }
        let report = try runner.changelogSync(count: count, upToTag: upToTag)
        if json {
            try JSONOutput.print(RunReport(changeSets: report.recorded.map { .init(changeSet: $0.identity.description, execType: $0.execType.rawValue) }))
        } else {
            Terminal.print(report.recorded.isEmpty ? "Nothing to record: no changeset is pending."
                : "Recorded \(Self.count(report.recorded.count)) as run, without running \(report.recorded.count == 1 ? "it" : "them").")
        }
    }

    struct TagReport: Encodable {
        let tag: String
        let changeSet: String
    }

    func tag(_ name: String) throws {
        let tagged = try runner.tag(name)
        if json { return try JSONOutput.print(TagReport(tag: name, changeSet: tagged.description)) }
        Terminal.print("Tagged \(tagged) as '\(name)'.")
    }

    struct ClearedReport: Encodable {
        let cleared: Int
    }

    func clearChecksums() throws {
        let cleared = try runner.clearChecksums()
        if json { return try JSONOutput.print(ClearedReport(cleared: cleared)) }
        Terminal.print("Cleared the checksums of \(cleared) DATABASECHANGELOG row\(cleared == 1 ? "" : "s"); the next migrate stores the current ones.")
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
        case .run(.markRan), .record(.markRan): "pending (MARK_RAN)"
        case .record: "pending (recorded without running)"
        case .skip(.alreadyRan): row?.execType ?? "EXECUTED"
        case .skip(.filtered(let reason)): (row.map { "\($0.execType), " } ?? "") + "not selected: \(reason)"
        case .skip(.ignored): "ignored"
        case .skip(.beyondTarget): "pending"
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
