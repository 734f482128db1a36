import Strata
import StrataLiquibase

/// The changelog and `DATABASECHANGELOG` disagree; nothing ran.
public struct ChangeLogValidationError: StrataError, Sendable {
    public let findings: [ChangeLogFinding]
    /// ``ErrorCategory/failure``: `strata` exits with 1, as for a folder's validation.
    public var category: ErrorCategory { .failure }

    public var description: String {
        "Validation failed, nothing ran: " + findings.map(\.description).joined(separator: " ")
    }
}

/// A precondition stopped the run: a changeset's with `onFail` or `onError` HALT (the changesets
/// before it stay applied), or the changelog's with anything but WARN (nothing ran).
public struct PreconditionHaltError: StrataError, Sendable {
    /// The changeset, or nil for the changelog's own preconditions.
    public let changeSet: ChangeSetIdentity?
    public let location: ChangelogLocation
    public let message: String
    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    public var description: String {
        guard let changeSet else {
            return "\(location): a precondition of the changelog failed: \(message). Nothing ran: at the changelog level every "
                + "onFail and onError but WARN stops the run, as in Liquibase (CONTINUE and MARK_RAN act on changesets only); "
                + "make the condition hold, or set onFail to WARN."
        }
        return "\(location): a precondition of changeset \(changeSet) stopped the run (onFail/onError HALT): \(message). The "
            + "changesets before it stay applied; make the condition hold, or set onFail to CONTINUE, MARK_RAN or WARN."
    }
}

/// A statement of a changeset failed; its transaction was rolled back, the changesets before it stay applied.
public struct ChangeSetFailedError: StrataError, Sendable {
    public let changeSet: ChangeSetIdentity
    public let location: ChangelogLocation
    public let statement: String
    public let message: String
    /// False for `runInTransaction="false"`: what ran before the failing statement stays.
    public let rolledBack: Bool
    /// ``ErrorCategory/failure``: `strata` exits with 1, as for a failed migration.
    public var category: ErrorCategory { .failure }

    public var description: String {
        let first = statement.split(separator: "\n").first.map(String.init) ?? statement
        return "\(location): changeset \(changeSet) failed at `\(first)`: \(message). "
            + (rolledBack ? "Its transaction was rolled back; " : "It runs outside a transaction, so its earlier statements stay; ")
            + "the changesets before it stay applied. Fix it and run again."
    }
}

/// A rollback that cannot be carried out as asked; nothing was rolled back.
public struct ChangeLogRollbackError: StrataError, Sendable {
    public let description: String
    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }
}

/// A `DATABASECHANGELOG` row lacks a value Liquibase's table requires; nothing ran.
public struct ChangeLogRowError: StrataError, Sendable {
    public let table: TableName
    /// The row's place in Liquibase's order, from 1.
    public let position: Int
    public let id: String?
    public let column: String
    /// What the column holds instead of a number (ORDEREXECUTED); nil for NULL.
    public let found: String?
    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    public var description: String {
        let which = id.map { "row \(position) (ID '\($0)')" } ?? "row \(position)"
        let what = found.map { "'\($0)' in \(column), not a number" } ?? "NULL in \(column)"
        return "\(table) \(which) has \(what), which Liquibase's table declares NOT NULL, so Strata cannot tell when, where "
            + "or in which order it ran. Nothing ran; set the column on that row (as Liquibase would have written it) and run again."
    }
}

/// A changelog that cannot be read or rendered is a migration file that is wrong: exit 1, as
/// for a folder's invalid files.
extension ChangelogError: StrataError {
    public var category: ErrorCategory { .failure }
}

/// A `--contexts` or `--labels` expression that does not parse is the command line's: exit 2.
extension FilterExpressionError: StrataError {
    public var category: ErrorCategory { .usage }
}
