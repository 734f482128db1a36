import Strata
import StrataLiquibase

/// The changelog and `DATABASECHANGELOG` disagree; nothing ran.
public struct ChangeLogValidationError: Error, Sendable, CustomStringConvertible {
    public let findings: [ChangeLogFinding]

    public var description: String {
        "Validation failed, nothing ran: " + findings.map(\.description).joined(separator: " ")
    }
}

/// A precondition with `onFail` or `onError` HALT stopped the run; the changesets before it stay applied.
public struct PreconditionHaltError: Error, Sendable, CustomStringConvertible {
    /// The changeset, or nil for the changelog's own preconditions.
    public let changeSet: ChangeSetIdentity?
    public let location: ChangelogLocation
    public let message: String

    public var description: String {
        let whose = changeSet.map { "changeset \($0)" } ?? "the changelog"
        return "\(location): a precondition of \(whose) stopped the run (onFail/onError HALT): \(message). The changesets "
            + "before it stay applied; make the condition hold, or set onFail to CONTINUE, MARK_RAN or WARN."
    }
}

/// A statement of a changeset failed; its transaction was rolled back, the changesets before it stay applied.
public struct ChangeSetFailedError: Error, Sendable, CustomStringConvertible {
    public let changeSet: ChangeSetIdentity
    public let location: ChangelogLocation
    public let statement: String
    public let message: String
    /// False for `runInTransaction="false"`: what ran before the failing statement stays.
    public let rolledBack: Bool

    public var description: String {
        let first = statement.split(separator: "\n").first.map(String.init) ?? statement
        return "\(location): changeset \(changeSet) failed at `\(first)`: \(message). "
            + (rolledBack ? "Its transaction was rolled back; " : "It runs outside a transaction, so its earlier statements stay; ")
            + "the changesets before it stay applied. Fix it and run again."
    }
}

/// A rollback that cannot be carried out as asked; nothing was rolled back.
public struct ChangeLogRollbackError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
